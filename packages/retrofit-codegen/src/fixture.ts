import type { OpenApiDocument } from "./openapi";

/**
 * A small document with every shape the generator handles: path, query, body and header
 * parameters, nullable and optional fields, enums, arrays, maps, nested inline objects, defaults
 * and names that clash with Kotlin keywords or with each other.
 */
export function fixtureDocument(): OpenApiDocument {
  return {
    openapi: "3.1.0",
    info: { title: "Fixture", version: "1.0.0" },
    tags: [{ name: "widgets", description: "Widgets and their parts." }],
    paths: {
      "/widgets/{widgetId}": {
        parameters: [
          {
            name: "widgetId",
            in: "path",
            required: true,
            schema: { type: "string", format: "uuid" },
          },
        ],
        get: {
          operationId: "getWidget",
          summary: "One widget",
          tags: ["widgets"],
          security: [{ bearerAuth: [] }],
          parameters: [
            {
              name: "in",
              in: "query",
              schema: { type: "string" },
              description: "A keyword-named query.",
            },
            {
              name: "sort",
              in: "query",
              schema: { type: "string", enum: ["asc", "desc"], default: "asc" },
            },
            {
              name: "ids",
              in: "query",
              schema: { type: "array", items: { type: "integer", format: "int32" } },
            },
            { $ref: "#/components/parameters/RequestId" },
          ] as OpenApiDocument["paths"][string]["parameters"],
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Widget" } } },
            },
            "404": { $ref: "#/components/responses/NotFound" },
          },
        },
        delete: {
          operationId: "deleteWidget",
          tags: ["widgets"],
          security: [],
          responses: {
            "204": { description: "gone" },
            "404": { $ref: "#/components/responses/NotFound" },
          },
        },
      },
      "/widgets": {
        post: {
          operationId: "createWidget",
          tags: ["widgets"],
          security: [{ bearerAuth: [] }],
          description: "Keyed. A comment closer */ and opener /* stay inside the KDoc.",
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: true,
              schema: { type: "string" },
              description: "Reuse it when retrying.",
            },
            {
              name: "body",
              in: "query",
              schema: { type: "boolean" },
              description: "Clashes with the body.",
            },
          ],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["name", "parts"],
                  properties: {
                    name: { type: "string", description: "Shown to people." },
                    parts: {
                      type: "array",
                      items: {
                        type: "object",
                        required: ["count"],
                        properties: { count: { type: "integer", minimum: 0, maximum: 100 } },
                      },
                    },
                    body: { type: "string", description: "A field named like the body parameter." },
                  },
                },
              },
            },
          },
          responses: {
            "202": {
              description: "accepted",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Widget" } } },
            },
            "400": { $ref: "#/components/responses/NotFound" },
          },
        },
      },
      "/admin/widgets": {
        get: {
          operationId: "getWidget",
          tags: ["admin"],
          responses: {
            "200": {
              description: "a page",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["items", "nextCursor"],
                    properties: {
                      items: { type: "array", items: { $ref: "#/components/schemas/Widget" } },
                      nextCursor: { type: ["string", "null"] },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    components: {
      parameters: {
        RequestId: {
          name: "X-Request-ID",
          in: "header",
          schema: { type: "string" },
          description: "Echoed back.",
        },
      },
      responses: {
        NotFound: {
          description: "Not found: NOT_FOUND",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Problem" } } },
        },
      },
      schemas: {
        Widget: {
          type: "object",
          description: "A widget.",
          required: ["id", "class", "state", "label", "tags", "size", "owner", "parts"],
          properties: {
            id: { type: "string", format: "uuid", description: "A UUID." },
            class: { type: "string", description: "A hard keyword." },
            state: { $ref: "#/components/schemas/WidgetState" },
            label: { type: ["string", "null"] },
            note: { anyOf: [{ type: "string" }, { type: "null" }] },
            tags: { type: "array", items: { type: "string" } },
            size: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
            ratio: { type: "number", default: 0.5 },
            enabled: { type: "boolean", default: true },
            owner: {
              type: "object",
              required: ["name"],
              properties: { name: { type: "string" }, "e-mail": { type: "string" } },
            },
            parts: { type: "array", items: { $ref: "#/components/schemas/String" } },
            labels: { type: "object", additionalProperties: { type: "string" } },
            extra: {},
            mode: { type: "string", enum: ["fast", "slow-mode", "2x"], default: "slow-mode" },
            priorState: { anyOf: [{ $ref: "#/components/schemas/WidgetState" }, { type: "null" }] },
          },
        },
        WidgetState: {
          type: "string",
          enum: ["new", "unknown", "in_use"],
          description: "Lifecycle.",
        },
        String: { type: "object", required: ["value"], properties: { value: { type: "string" } } },
        Email: { type: "string", format: "email" },
        Problem: {
          type: "object",
          required: ["code", "message"],
          properties: { code: { type: "string" }, message: { type: "string" } },
        },
        AdminApi: { type: "object", properties: { x: { type: "string" } } },
      },
    },
  };
}
