// Types for proxy-from-env (axios's own proxy resolver; the package ships none).
declare module 'proxy-from-env' {
  /** The proxy URL the environment names for `url` (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY minus NO_PROXY), or ''. */
  export function getProxyForUrl(url: string | URL): string;
}
