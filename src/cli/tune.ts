/**
 * Runtime V8 settings, applied before any other module loads (main.ts imports this first).
 *
 * `--liftoff-only`: undici parses HTTP with llhttp compiled to WebAssembly. By default V8 later
 * recompiles that module with its optimising compiler on a background thread, which held about
 * 25 MB at once (RSS peak) shortly after the first requests and again at exit, where Node waits for
 * it (60–90 ms added to every run). The baseline compiler's code parses a response in
 * microseconds, well under anything a row costs (measured: the same 200,000-row run time within
 * noise, peak RSS about 7 MiB lower, exit right after the summary).
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');
