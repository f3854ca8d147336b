// Test key material from test/vectors/keys (made for tests only) and small helpers around it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';

const dir = fileURLToPath(new URL('../vectors/keys/', import.meta.url));

export function keyFile(name: string): string {
  return readFileSync(dir + name, 'utf8');
}
export function keyBytes(name: string): Buffer {
  return readFileSync(dir + name);
}
export function keyPath(name: string): string {
  return dir + name;
}

export const merchant = {
  privatePkcs1Pem: keyFile('merchant_private_pkcs1.pem'),
  privatePkcs8Pem: keyFile('merchant_private_pkcs8.pem'),
  privatePkcs1Base64: keyFile('merchant_private_pkcs1.base64.txt'),
  privatePkcs8Base64: keyFile('merchant_private_pkcs8.base64.txt'),
  privatePkcs1Der: keyBytes('merchant_private_pkcs1.der'),
  privatePkcs8Der: keyBytes('merchant_private_pkcs8.der'),
  publicSpkiPem: keyFile('merchant_public_spki.pem'),
  publicSpkiBase64: keyFile('merchant_public_spki.base64.txt'),
  publicPkcs1Pem: keyFile('merchant_public_pkcs1.pem'),
  certPem: keyFile('merchant_cert.pem'),
};

/** The test stand-in for Alipay: its private key signs responses and notifications. */
export const alipay = {
  privatePem: keyFile('alipay_private.pem'),
  publicBase64: keyFile('alipay_public.base64.txt'),
};

export const other = {
  privatePem: keyFile('other_private.pem'),
  publicPem: keyFile('other_public.pem'),
};

export const weak1024Pem = keyFile('weak_1024_private.pem');
export const ecPrivatePem = keyFile('ec_private_pkcs8.pem');

/** Signs content with openssl-equivalent node:crypto directly: the reference the package is compared with. */
export function rawSign(content: string | Buffer, privatePem: string): string {
  return sign('sha256', typeof content === 'string' ? Buffer.from(content, 'utf8') : content, createPrivateKey(privatePem)).toString(
    'base64',
  );
}

export function publicOf(privatePem: string): string {
  return createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }) as string;
}
