import GhostAdminAPI, { type GhostAdminApi } from '@tryghost/admin-api';
import axios from 'axios';

export interface GhostSettings {
  url: string;
  adminApiKey: string;
  timeoutMs: number;
}

/**
 * Ghost's own Admin API client (it signs a short-lived HS256 token per request, as Ghost
 * documents), with hallo's timeout on every request so a Ghost that stops answering cannot hold
 * the job for ever, and no proxy taken from the environment.
 */
export function ghostClient(settings: GhostSettings): GhostAdminApi {
  return GhostAdminAPI({
    url: settings.url.replace(/\/+$/, ''),
    key: settings.adminApiKey,
    version: 'v6.0',
    userAgent: 'hallo',
    makeRequest: async ({ url, method, data, params, headers }) => {
      const response = await axios({
        url,
        method,
        data,
        params,
        headers,
        timeout: settings.timeoutMs,
        proxy: false,
        maxRedirects: 0,
        maxContentLength: Infinity,
        maxBodyLength: Infinity,
      });
      return response.data as unknown;
    },
  });
}
