import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';

/**
 * The HTTP client of one platform: one axios instance for every call to it (sends, templates,
 * tokens), over keep-alive agents, so a reply costs no new connection, TLS handshake or client
 * set-up. Redirects are not followed: the platforms' APIs never redirect, and the redirect layer
 * wraps every request.
 */
export function createPlatformHttp(opts: { /** sockets kept per host; default 64 */ maxSockets?: number } = {}): AxiosInstance {
  const { maxSockets = 64 } = opts;
  const agent = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const };
  return axios.create({ maxRedirects: 0, httpAgent: new http.Agent(agent), httpsAgent: new https.Agent(agent) });
}

const shared = new Map<string, AxiosInstance>();

/** This process's client for `platform`, made at its first use. */
export function platformHttp(platform: 'messenger' | 'zalo'): AxiosInstance {
  let client = shared.get(platform);
  if (!client) {
    client = createPlatformHttp();
    shared.set(platform, client);
  }
  return client;
}
