import type { Duplex } from "node:stream";
import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";

import type { ErrorResponse } from "@runway/contracts";
import { ERROR_STATUS, errorCodeForStatus } from "@runway/contracts";

/** The statuses Node's own handler sends for these parser errors (lib/_http_server.js); else 400. */
const STATUS_BY_NODE_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

const MESSAGES: Record<number, string> = {
  400: "Malformed HTTP request",
  413: "Chunk extensions too large",
  431: "Request headers too large",
};

function rawResponse(status: number): string {
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nConnection: close\r\n`;
  const code = errorCodeForStatus(status);
  // 408 has no code of ours: it goes out bare, as Node sends it.
  if (ERROR_STATUS[code] !== status) return `${head}\r\n`;
  const requestId = randomUUID();
  const envelope: ErrorResponse = { code, message: MESSAGES[status] ?? code, requestId };
  const body = JSON.stringify(envelope);
  return (
    `${head}Content-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-ID: ${requestId}\r\n` +
    "Cache-Control: no-store\r\n\r\n" +
    body
  );
}

/**
 * Node refuses a request it cannot parse (a header block over `maxHeaderSize`, a malformed
 * request line) before express sees it, with a bare status line. A 'clientError' listener
 * replaces that answer, so this one keeps Node's statuses and its care not to write into a
 * response already under way, and adds what every other refusal carries: the error envelope
 * and an X-Request-ID (a new one: the client's headers were never read).
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    socket.write(rawResponse(STATUS_BY_NODE_CODE[error.code ?? ""] ?? 400));
  }
  socket.destroy(error);
}
