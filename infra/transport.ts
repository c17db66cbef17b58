// The WebSocket transport, chosen by PANTHEON_TRANSPORT: `ws` everywhere, or
// uWebSockets.js where its native binary loads (glibc >= 2.38, as in the container image).
import type { Transport } from '@colyseus/core';
import { WebSocketTransport, type TransportOptions } from '@colyseus/ws-transport';
import { PROTOCOL_ABUSE } from '../rooms/shared/admission.ts';

/** Largest client message accepted, in bytes; larger ones close the socket. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

export class TransportUnavailable extends Error {
  readonly code = 'transport/unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportUnavailable';
  }
}

/**
 * The ws transport, marking each socket that breaks the protocol (an oversize frame, invalid
 * UTF-8, a bad opcode: ws reports them as an 'error' before it closes) so rooms hold no
 * reconnection seat behind it (rooms/shared/admission.ts). A network drop has no such error.
 */
export class MarkingWebSocketTransport extends WebSocketTransport {
  constructor(options: TransportOptions) {
    super(options);
    this.wss.on('connection', (socket: { once(event: 'error', listener: (error: Error & { code?: string }) => void): unknown }) => {
      socket.once('error', (error: Error & { code?: string }) => {
        (socket as unknown as Record<symbol, string>)[PROTOCOL_ABUSE] = error.code ?? 'WS_ERR_PROTOCOL';
      });
    });
  }
}

export async function createTransport(kind: 'ws' | 'uwebsockets'): Promise<Transport> {
  if (kind === 'ws') return new MarkingWebSocketTransport({ maxPayload: MAX_MESSAGE_BYTES, pingInterval: 3000, pingMaxRetries: 2 });
  try {
    const { uWebSocketsTransport } = await import('@colyseus/uwebsockets-transport');
    return new uWebSocketsTransport({ maxPayloadLength: MAX_MESSAGE_BYTES, idleTimeout: 30 });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new TransportUnavailable(
      `PANTHEON_TRANSPORT=uwebsockets, but uWebSockets.js does not load here (${reason}); it needs glibc >= 2.38. Use PANTHEON_TRANSPORT=ws`,
      { cause: error },
    );
  }
}
