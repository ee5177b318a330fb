import { afterAll, beforeAll, it } from 'vitest';
import { startTestService, type TestService } from './support/harness.ts';
import { TrackLogin, TrackActivity, PlayerSession, TrackLogout } from './support/operations.ts';

let service: TestService;
beforeAll(async () => { service = await startTestService(); });
afterAll(async () => { await service?.stop(); });

it('pause', async () => {
  await service.run(TrackLogin, { playerId: 'a' });
  console.log(await service.redis.client('PAUSE', 3000, 'ALL'));
  let t = performance.now();
  const r = await service.run(TrackActivity, { playerId: 'a', eventType: 'DOCK' });
  console.log('paused call', performance.now() - t, JSON.stringify(r.errors));
  t = performance.now();
  const r1 = await service.run(PlayerSession, { playerId: 'a' });
  console.log('paused read', performance.now() - t, JSON.stringify(r1.errors));
  t = performance.now();
  try { console.log(await service.redis.client('UNPAUSE')); } catch (e) { console.log('unpause err', e); }
  console.log('unpause took', performance.now() - t);
  const r2 = await service.run(PlayerSession, { playerId: 'a' });
  console.log(JSON.stringify(r2));
  console.log(await service.redis.llen('activity:events:a'));
});

it('wrongtype', async () => {
  await service.reset();
  await service.run(TrackLogin, { playerId: 'b' });
  await service.redis.del('activity:events:b');
  await service.redis.set('activity:events:b', 'oops');
  const r = await service.run(TrackActivity, { playerId: 'b', eventType: 'DOCK' });
  console.log(JSON.stringify(r.errors));
  console.log(await service.redis.get('activity:session:b'));
  await service.redis.set('activity:summary:b', 'x');
  await service.redis.del('activity:events:b');
  await service.redis.sadd('activity:events:b', 'x');
  const r3 = await service.run(TrackLogout, { playerId: 'b' });
  console.log(JSON.stringify(r3.errors));
  console.log(await service.redis.keys('*'), await service.redis.get('activity:summary:b'), await service.redis.get('activity:session:b'));
});

it('oom', async () => {
  await service.reset();
  await service.redis.config('SET', 'maxmemory', '1');
  const r = await service.run(TrackLogin, { playerId: 'c' });
  console.log('oom', JSON.stringify(r.errors));
  await service.redis.config('SET', 'maxmemory', '0');
});

it('monitor', async () => {
  const monitor = await service.redis.monitor();
  monitor.on('monitor', (time, args, source, db) => console.log('MON', source, db, args.slice(0, 2).map(String).map(s=>s.slice(0,50))));
  console.log((await service.redis.client('LIST')));
  await service.run(TrackLogin, { playerId: 'm' });
  await service.redis.echo('marker');
  await new Promise((r) => setTimeout(r, 100));
  monitor.disconnect();
});
