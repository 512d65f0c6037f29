// ts-jest in ESM mode: run under NODE_OPTIONS=--experimental-vm-modules.
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // As in the bundle (tsconfig paths): tests run what users run, without undici.
    '^@actions/http-client(/lib/auth)?$': '<rootDir>/src/vendor/no-http-client.ts',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
  // The AWS SDK's Node version notice off (the action runs on node24; see the file).
  setupFiles: ['<rootDir>/__tests__/setup-env.ts'],
};

export default {
  // The e2e tests run the bundle against the simulator; SDK retry backoff alone can take seconds.
  testTimeout: 30_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    // End-to-end: the built dist/ bundle as a child process against the simulator in sim/.
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'] },
  ],
};
