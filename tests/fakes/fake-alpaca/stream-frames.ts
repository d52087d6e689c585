/**
 * The frames of Alpaca's trading stream (`wss://…/stream`), as its
 * documentation shows them: authorization and listening answers, errors, and
 * one `trade_updates` frame per order event carrying the order exactly as the
 * REST API would answer it.
 */
import { type Book, dec } from './book';
import { orderJson } from './shapes';
import type { OrderEvent } from './types';

/** A frame the server sends, before encoding. */
export type Frame = Record<string, unknown>;

/** What a client asked for, once its JSON frame is read. */
export type ClientRequest = { kind: 'auth'; key: unknown; secret: unknown } | { kind: 'listen'; streams: string[] } | { kind: 'unknown' };

/** Reads a client frame: the SDK's `authenticate` form, the documented `auth` form, or `listen`. */
export function readRequest(message: unknown): ClientRequest {
  if (typeof message !== 'object' || message === null) return { kind: 'unknown' };
  const m = message as {
    action?: unknown;
    key?: unknown;
    secret?: unknown;
    data?: { key_id?: unknown; secret_key?: unknown; streams?: unknown };
  };
  if (m.action === 'auth') return { kind: 'auth', key: m.key, secret: m.secret };
  if (m.action === 'authenticate') return { kind: 'auth', key: m.data?.key_id, secret: m.data?.secret_key };
  if (m.action === 'listen') {
    const streams = Array.isArray(m.data?.streams) ? m.data.streams.filter((s): s is string => typeof s === 'string') : [];
    return { kind: 'listen', streams };
  }
  return { kind: 'unknown' };
}

/** `{"stream":"authorization",…}`: the answer to `auth` (action `authenticate`) or to a `listen` sent before it. */
export function authorizationFrame(authorized: boolean, action: 'authenticate' | 'listen'): Frame {
  const data: Record<string, string> = { status: authorized ? 'authorized' : 'unauthorized', action };
  if (!authorized && action === 'authenticate') data.message = 'access key verification failed';
  return { stream: 'authorization', data };
}

/** `{"stream":"listening",…}`: the streams the client now listens to (only `trade_updates` exists here). */
export function listeningFrame(streams: string[]): Frame {
  return { stream: 'listening', data: { streams } };
}

/** Alpaca's in-stream error. */
export function errorFrame(message: string): Frame {
  return { action: 'error', data: { error_message: message } };
}

/** One `trade_updates` frame; fills carry the execution's id, price, qty and the position after it. */
export function tradeUpdateFrame(book: Book, e: OrderEvent): Frame {
  const legs = book.orders.filter((o) => o.parentId === e.order.id);
  const data: Record<string, unknown> = { event: e.event, timestamp: e.at, order: orderJson(e.order, legs) };
  if (e.execution) {
    data.execution_id = e.execution.id;
    data.price = dec(e.execution.price, 4);
    data.qty = dec(e.execution.qty);
    data.position_qty = dec(e.execution.positionQty);
  }
  return { stream: 'trade_updates', data };
}
