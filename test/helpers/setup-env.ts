// Tests never reach the platforms: every platform base URL points at a local fake, and the nock
// tests disable the network except loopback. The server's time zone is set for the whole run in
// jest.config.js (business rules must hold whatever TZ is; setting it here would be too late).
export {};
