// The part of Ghost's own Admin API client (@tryghost/admin-api, plain JavaScript) hallo uses.
declare module '@tryghost/admin-api' {
  interface RequestOptions {
    url: string;
    method: string;
    data?: unknown;
    params?: Record<string, unknown>;
    headers?: Record<string, string>;
  }
  interface Resource<T> {
    read(data: { id: string }, query?: Record<string, string>): Promise<T>;
    add(data: Partial<T>, query?: Record<string, string>): Promise<T>;
    edit(data: Partial<T> & { id: string }, query?: Record<string, string>): Promise<T>;
  }
  export interface GhostPost {
    id: string;
    uuid: string;
    title: string;
    status: string;
    updated_at: string;
    url: string;
    lexical?: string;
  }
  export interface GhostAdminApi {
    posts: Resource<GhostPost>;
    media: {
      upload(data: { file: string; ref?: string }): Promise<{ url: string; ref: string | null }>;
    };
  }
  export default function GhostAdminAPI(options: {
    url: string;
    key: string;
    version: string;
    userAgent?: string | boolean;
    makeRequest?: (options: RequestOptions) => Promise<unknown>;
  }): GhostAdminApi;
}
