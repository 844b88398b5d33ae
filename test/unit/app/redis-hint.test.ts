import { howToGetRedis } from '../../../src/redis-bootstrap';

describe('the hint printed when no Redis answers', () => {
  test('when the URL is local, then it starts redis-server on the port asked for, and does not send the user to compose’s unpublished Redis', () => {
    const hint = howToGetRedis(new URL('redis://127.0.0.1:6380'));
    expect(hint).toContain('No Redis answers at 127.0.0.1:6380.');
    expect(hint).toContain('apt-get install -y redis-server && redis-server --port 6380 --appendonly yes --daemonize yes');
    expect(hint).toContain('-p 127.0.0.1:6380:6379');
    expect(hint).not.toMatch(/docker compose up -d redis/);
    expect(hint).toContain('not published');
  });

  test('when the URL names no port, then the hint uses 6379', () => {
    expect(howToGetRedis(new URL('redis://localhost'))).toContain('redis-server --port 6379 ');
  });

  test('when the URL has a password, then the hint asks for one without printing it', () => {
    const hint = howToGetRedis(new URL('redis://:s3cret-pass@127.0.0.1:6379'));
    expect(hint).toContain('--requirepass <the password in REDIS_URL>');
    expect(hint).not.toContain('s3cret-pass');
  });

  test('when the URL is another host, then the hint says to check that host instead of starting one here', () => {
    const hint = howToGetRedis(new URL('redis://redis.internal:6379'));
    expect(hint).toContain('redis.internal:6379');
    expect(hint).not.toContain('apt-get');
  });
});
