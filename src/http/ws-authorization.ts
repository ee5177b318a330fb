/**
 * The Authorization value of a graphql-ws operation. Clients that can set
 * it send it in the connection_init payload (`{ "authorization": "Bearer …" }`,
 * or `{ "headers": { "Authorization": … } }`); GraphiQL sends an empty
 * connection_init and puts its Headers tab in each subscribe message's
 * `extensions.headers`. The connection's token wins when both are present,
 * so one socket never acts for two callers' tokens by accident.
 */
export function webSocketAuthorization(connectionParams: unknown, params: unknown): string | undefined {
  return (
    headerIn(connectionParams) ??
    headerIn(field(connectionParams, 'headers')) ??
    headerIn(field(field(params, 'extensions'), 'headers'))
  );
}

const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;

function headerIn(headers: unknown): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'authorization' && typeof value === 'string') return value;
  }
  return undefined;
}
