export * from './postgres';
export * from './nats';
export * from './private-nats-server';
export * from './private-postgres-server';
export * from './free-port';
export * from './wait-for';
