import { Metadata } from '@grpc/grpc-js';
import { BosunError, ErrorCode } from '@bosun/common';
import { grpcToBosunError, STATUS_TRAILER } from './grpc-error';

const failure = (code: number, status?: unknown) => {
  const metadata = new Metadata();
  if (status !== undefined) metadata.set(STATUS_TRAILER, Buffer.from(JSON.stringify(status)));
  return Object.assign(new Error(`${code} failed`), { code, details: 'failed', metadata });
};

describe('grpcToBosunError', () => {
  it('rebuilds the Status from the trailer: code, message, causes, name', () => {
    const e = grpcToBosunError(
      failure(3, {
        kind: 'Status',
        code: 422,
        reason: 'Invalid',
        message: 'ConfigMap "x" is invalid',
        details: {
          name: 'x',
          kind: 'configmaps',
          causes: [{ field: 'metadata.name', reason: 'FieldValueInvalid', message: 'bad' }],
        },
      }),
    );
    expect(e).toBeInstanceOf(BosunError);
    expect(e.code).toBe(ErrorCode.Invalid);
    expect(e.message).toBe('ConfigMap "x" is invalid');
    expect(e.causes).toEqual([
      { field: 'metadata.name', reason: 'FieldValueInvalid', message: 'bad' },
    ]);
    expect(e.context).toMatchObject({ name: 'x', httpStatus: 422, grpcStatus: 3 });
  });

  it('tells AlreadyExists from Conflict by the Status reason', () => {
    expect(grpcToBosunError(failure(6, { code: 409, reason: 'AlreadyExists' })).code).toBe(
      ErrorCode.AlreadyExists,
    );
    expect(grpcToBosunError(failure(10, { code: 409, reason: 'Conflict' })).code).toBe(
      ErrorCode.Conflict,
    );
  });

  it('falls back to the gRPC code when no Status came (transport failures)', () => {
    expect(grpcToBosunError(failure(14)).code).toBe(ErrorCode.Unavailable);
    expect(grpcToBosunError(failure(16)).code).toBe(ErrorCode.Unauthorized);
    expect(grpcToBosunError(failure(2)).code).toBe(ErrorCode.Internal);
  });

  it('passes BosunErrors through', () => {
    const e = new BosunError(ErrorCode.Gone, 'too old');
    expect(grpcToBosunError(e)).toBe(e);
  });
});
