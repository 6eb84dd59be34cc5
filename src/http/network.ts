/** A request that got no HTTP answer at all; the message names the host and the cause, and what to check. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly host: string,
    /** ENOTFOUND, ECONNREFUSED, TLS, timeout, … */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

// Node's TLS failures carry OpenSSL's codes (CERT_HAS_EXPIRED, ERR_SSL_WRONG_VERSION_NUMBER, …) or EPROTO.
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH|ERR_OSSL_)/;

interface Cause {
  code?: string;
  message?: string;
  errors?: Cause[];
}

function rootCause(error: unknown): Cause {
  let cause = error as Cause & { cause?: unknown };
  // fetch wraps the socket's error ("fetch failed" → cause); an AggregateError holds one per address tried.
  while (cause && !cause.code && cause.cause) cause = cause.cause as Cause & { cause?: unknown };
  if (cause && !cause.code && cause.errors?.[0]?.code) return cause.errors[0];
  return cause ?? {};
}

/** Why `error` (thrown by fetch for `url`) got no answer: the cause in words, with its code. */
export function networkCause(error: unknown, url: URL): { code: string; words: string } {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { code: 'timeout', words: 'no answer before the timeout (timeout): the server is slow or a firewall drops the traffic' };
  const { code, message } = rootCause(error);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { code, words: `the host name does not resolve (${code}): check the spelling of ${url.hostname} and your network or DNS` };
  if (code === 'ECONNREFUSED') return { code, words: `nothing accepts connections on port ${port} (ECONNREFUSED): is the server running, and are the host and port right?` };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return { code, words: `the connection was closed before an answer (${code}): a proxy or the server dropped it; try again` };
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return { code, words: `no answer before the timeout (${code}): the server is slow or a firewall drops the traffic` };
  if (code && TLS_CODE.test(code)) {
    return { code: 'TLS', words: `the TLS handshake failed (${code}): the certificate is not trusted or the server does not speak HTTPS on port ${port} (http vs https?)` };
  }
  return { code: code ?? 'unknown', words: code ? `${message ?? 'network error'} (${code})` : (message ?? String(error)) };
}

/** The NetworkError for `error`, thrown by fetch for `url`. */
export function networkError(error: unknown, url: URL | string): NetworkError {
  const target = new URL(url);
  const cause = networkCause(error, target);
  return new NetworkError(`cannot reach ${target.host}: ${cause.words}`, target.host, cause.code);
}

/**
 * fetch for every outgoing call (connection test, RPCs, enrichment, deploy, the CLI's runtime client): a failure to
 * get any answer becomes a NetworkError naming the host and the cause; HTTP error answers are returned as usual.
 */
export async function reach(url: URL | string, init: RequestInit = {}, fetchImpl: typeof fetch = fetch): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    throw networkError(error, url);
  }
}
