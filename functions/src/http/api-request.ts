import type { HttpRequest, InvocationContext } from '@azure/functions';

/*
 * What the handlers use of a request and of the invocation context: no more. The Azure Functions host
 * passes its `HttpRequest` and `InvocationContext`, which have these members; the local host builds them
 * straight from Node's request (one `Headers`, one `URLSearchParams`), without the cost of a fetch
 * `Request` per call.
 */
export type ApiRequest = Pick<HttpRequest, 'method' | 'url' | 'headers' | 'query' | 'params' | 'arrayBuffer'>;
export type ApiContext = Pick<InvocationContext, 'invocationId' | 'functionName' | 'error'>;
