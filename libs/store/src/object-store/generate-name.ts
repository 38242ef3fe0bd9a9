import { randomInt } from 'node:crypto';

/** Kubernetes' generateName alphabet: no vowels (no words), no look-alike characters. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The five random characters Kubernetes appends to `metadata.generateName`. */
export function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}
