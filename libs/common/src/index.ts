export * from './errors';
export * from './logger';
export * from './config';
export * from './duration';
