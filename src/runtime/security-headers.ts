import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * Headers for what a browser sees (the inspector and the admin API): today's strict CSP plus frame-ancestors
 * 'none' and X-Frame-Options DENY (no framing, so no clickjacking of replay or delete), no Referer, nosniff.
 * No HSTS: this server speaks plain HTTP; a TLS-terminating proxy or tunnel in front sets it for its domain.
 */
export const SECURITY_HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'"],
      scriptSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
};
