import { BosunError, ErrorCode, isBosunError } from './errors';

describe('BosunError', () => {
  it.each([
    [ErrorCode.Invalid, 422, 3],
    [ErrorCode.BadRequest, 400, 3],
    [ErrorCode.NotFound, 404, 5],
    [ErrorCode.AlreadyExists, 409, 6],
    [ErrorCode.Conflict, 409, 10],
    [ErrorCode.Gone, 410, 11],
    [ErrorCode.RequestEntityTooLarge, 413, 8],
    [ErrorCode.Unauthorized, 401, 16],
    [ErrorCode.Forbidden, 403, 7],
    [ErrorCode.UnsupportedMediaType, 415, 3],
    [ErrorCode.TooManyRequests, 429, 8],
    [ErrorCode.Unavailable, 503, 14],
    [ErrorCode.Internal, 500, 13],
  ])('%s maps to HTTP %i and gRPC %i', (code, http, grpc) => {
    const e = new BosunError(code, 'x');
    expect(e.httpStatus).toBe(http);
    expect(e.grpcStatus).toBe(grpc);
  });

  it('carries context, field causes and its cause; transient codes are retryable', () => {
    const cause = new Error('socket closed');
    const e = new BosunError(ErrorCode.Unavailable, 'db down', { context: { rev: 3 }, cause });
    expect(e.retryable).toBe(true);
    expect(e.cause).toBe(cause);
    expect(e.context).toEqual({ rev: 3 });
    const inv = new BosunError(ErrorCode.Invalid, 'bad', {
      causes: [{ field: 'metadata.name', reason: 'FieldValueInvalid', message: 'no' }],
    });
    expect(inv.retryable).toBe(false);
    expect(inv.causes[0].field).toBe('metadata.name');
    expect(isBosunError(inv, ErrorCode.Invalid)).toBe(true);
    expect(isBosunError(inv, ErrorCode.NotFound)).toBe(false);
    expect(isBosunError(new Error('x'))).toBe(false);
  });
});
