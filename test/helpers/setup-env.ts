// Tests never reach the platforms: nock blocks the network except loopback (see each test's nock use).
process.env.TZ = process.env.TEST_TZ ?? 'UTC';
