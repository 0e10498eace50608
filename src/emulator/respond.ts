/** Writing answers: one writeHead + end per response, with Content-Length, no chunking. */
import type { ServerResponse } from 'node:http';
import { errorBody } from './messages.ts';

export const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/** Envelope bodies are built once per (status, message) and reused. */
const bodyCache = new Map<string, Buffer>();

function cachedErrorBody(status: number, message: string): Buffer {
  const key = `${status} ${message}`;
  let body = bodyCache.get(key);
  if (body === undefined) {
    body = errorBody(status, message);
    if (bodyCache.size < 256) bodyCache.set(key, body);
  }
  return body;
}

export function sendJson(res: ServerResponse, status: number, body: string | Buffer, extra?: Record<string, string>): void {
  const headers: Record<string, string | number> = { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) };
  if (extra !== undefined) Object.assign(headers, extra);
  res.writeHead(status, headers);
  res.end(body);
}

export function sendHtml(res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, { 'content-type': HTML_TYPE, 'content-length': body.length });
  res.end(body);
}

/** The API's error envelope with the exact message. */
export function sendError(res: ServerResponse, status: number, message: string, extra?: Record<string, string>): void {
  sendJson(res, status, cachedErrorBody(status, message), extra);
}

/** Resolves true on 'drain', false if the client went away first (or already had). */
export function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onDrain = (): void => {
      res.off('close', onClose);
      resolve(true);
    };
    const onClose = (): void => {
      res.off('drain', onDrain);
      resolve(false);
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
