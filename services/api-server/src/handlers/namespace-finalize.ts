import { sendJson } from '../http/respond';
import { finalizeNamespace as finalize } from '../operations/finalize-namespace';
import { type ApiContext, operationRequest, type ResourceRequest } from './context';
import { readObject } from './write';

/** PUT /api/v1/namespaces/<name>/finalize. */
export async function finalizeNamespace(ctx: ApiContext, r: ResourceRequest): Promise<void> {
  const body = await readObject(r);
  sendJson(r.res, 200, await finalize(ctx, operationRequest(r), body));
}
