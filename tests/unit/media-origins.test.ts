import { storageMediaOrigins } from '../../src/storage/media-origins';

describe('where the inbox may play clips from', () => {
  const s3 = { STORAGE_DRIVER: 's3', S3_BUCKET: 'voice', S3_REGION: 'eu-central-1' } as const;

  it.each([
    [
      { ...s3, S3_ENDPOINT: undefined, S3_FORCE_PATH_STYLE: false },
      ['https://voice.s3.eu-central-1.amazonaws.com'],
    ],
    [
      { ...s3, S3_ENDPOINT: undefined, S3_FORCE_PATH_STYLE: true },
      ['https://s3.eu-central-1.amazonaws.com'],
    ],
    [
      { ...s3, S3_ENDPOINT: 'http://127.0.0.1:9000/', S3_FORCE_PATH_STYLE: true },
      ['http://127.0.0.1:9000'],
    ],
    [
      { ...s3, S3_ENDPOINT: 'https://r2.example.com', S3_FORCE_PATH_STYLE: false },
      ['https://voice.r2.example.com'],
    ],
    [{ ...s3, STORAGE_DRIVER: 'disk', S3_ENDPOINT: undefined, S3_FORCE_PATH_STYLE: false }, []],
  ] as const)('%j → %j', (config, origins) => {
    expect(storageMediaOrigins(config)).toEqual(origins);
  });
});
