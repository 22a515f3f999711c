import type { Express } from "express";
import type { Server, ServerOptions } from "node:http";
import { createServer, IncomingMessage, ServerResponse } from "node:http";

/**
 * An HTTP server for an express app whose requests and responses are created as the app's own.
 *
 * express hands every request and response to its app by re-prototyping node's objects
 * (`Object.setPrototypeOf(req, app.request)` in `app.handle`), which V8 handles badly: the
 * objects take slow paths, and every request's objects survive young-generation collections.
 * A bare express 5 /healthz on this machine served 7,700-8,800 req/s with 3-6 ms scavenges
 * that kept 3-6 MB each; created this way, 36,000-39,000 req/s with 0.5 ms scavenges that keep
 * next to nothing (expressjs/express#5998, open; nodejs/node#37457).
 *
 * So node's server constructs instances of subclasses whose prototypes sit in front of the
 * app's, and the app's `request`/`response` become those prototypes: express's own call then
 * finds the prototype already in place and changes nothing. Done once, before listening.
 */
export function expressServer(app: Express, options: ServerOptions = {}): Server {
  class AppRequest extends IncomingMessage {}
  Object.setPrototypeOf(AppRequest.prototype, app.request);
  app.request = AppRequest.prototype as unknown as Express["request"];

  class AppResponse extends ServerResponse {}
  Object.setPrototypeOf(AppResponse.prototype, app.response);
  app.response = AppResponse.prototype as unknown as Express["response"];

  return createServer(
    { ...options, IncomingMessage: AppRequest, ServerResponse: AppResponse },
    app,
  );
}
