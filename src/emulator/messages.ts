/** The exact message texts of the wolkvox API (docs/api.md), and the envelope. */

export const ADMIN_PREFIX = '/__emulator/';

export const MSG = {
  noToken: 'PLEASE ENTER THE WOLKVOX-TOKEN',
  badToken: 'PLEASE VALIDATE TOKEN',
  concurrency: 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)', // "(2)" is literal, as documented
  quota: 'TOKEN LIMIT EXCEEDED',
  params: 'SOME PARAMETERS ARE REQUIRED',
  noApi: 'THE API YOU WANT TO CONSULT DOES NOT EXIST',
  method: 'METHOD NOT ALLOWED',
  maintenance: 'API DISABLED FOR MAINTENANCE',
  forbidden: 'FORBIDDEN',
  unavailable: 'SERVICE UNAVAILABLE',
  internal: 'INTERNAL SERVER ERROR',
  tooLarge: 'PAYLOAD TOO LARGE',
  success: 'Succesfully create record', // sic, as the API spells it
  noRecords: 'NO RECORDS FOUND', // undocumented: one of the two "nothing found" forms (see options.notFound)
  noDates: 'Validate dates entered', // a Manager report window with no records (observed on the live API: HTTP 404)
} as const;

/** `{"code": <status>, "error": "<MESSAGE>", "msg": "<MESSAGE>"}` as bytes. */
export function errorBody(status: number, message: string): Buffer {
  return Buffer.from(JSON.stringify({ code: status, error: message, msg: message }));
}

/** The success answer of an insert; ids are hex, so no escaping is needed. */
export function insertSuccessBody(wolkvoxId: string): string {
  return `{"code":200,"error":"null","msg":"${MSG.success}","data":{"wolkvox_id":"${wolkvoxId}"}}`;
}

/** A body a proxy or a broken backend might send: not the JSON envelope. */
export const GARBAGE_BODY = Buffer.from('<html>oops</html>');

/** What nginx answers for 502/504: HTML, not the envelope. */
export function proxyBody(status: number, reason: string): Buffer {
  return Buffer.from(
    `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n</body>\r\n</html>\r\n`,
  );
}
