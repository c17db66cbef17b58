// End to end, on a real game server (store on the local PostgreSQL, presence and rates in the
// local Redis) with real SDK clients and HTTP: friends gather in a party; a block stops
// invites, messages and presence; flagged chat in a legion's chat room reaches nobody and is
// never recorded; a full party refuses more.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Room } from '@colyseus/sdk';
import { chatStreamId } from '../../commands/chat/model.ts';
import type { Refused } from '../../rooms/shared/messages.ts';
import type { PartyView } from '../../rooms/party/state.ts';
import { startTestGameServer, type TestGameServer } from '../testing/gameServer.ts';
import { until } from '../testing/roomClient.ts';

let server: TestGameServer;
before(async () => {
  server = await startTestGameServer('social', { social: true, readSide: true });
});
after(async () => {
  await server.stop();
});

async function http(method: 'GET' | 'POST', path: string, as: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${await server.tokenFor(as)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

async function befriend(a: string, b: string) {
  assert.equal((await http('POST', `/players/${a}/friends/${b}/request`, a)).status, 200);
  const accepted = await http('POST', `/players/${b}/friends/${a}/accept`, b);
  assert.equal(accepted.body.friends, true);
}

/** The next `refused` or `invited` answer of the room to what the client just sent. */
function answer(room: Room): Promise<{ refused?: Refused; invited?: string }> {
  return new Promise((resolve) => {
    const stops = [
      room.onMessage('refused', (refused: Refused) => { stops.forEach((s) => s()); resolve({ refused }); }),
      room.onMessage('invited', (m: { playerId: string }) => { stops.forEach((s) => s()); resolve({ invited: m.playerId }); }),
    ];
  });
}

async function openParty(leader: string): Promise<Room<PartyView>> {
  const room = await server.client().create<PartyView>('party', { playerId: leader });
  room.onMessage('history', () => {});
  room.onMessage('chat', () => {});
  await until(room, (s) => s.leader === leader, 'the party led by its creator');
  return room;
}

describe('social', () => {
  test('a blocked player cannot invite, message or see the presence of the one who blocked them', async () => {
    await befriend('bl-ana', 'bl-bo');
    const bosParty = await openParty('bl-bo');
    // Friends: ana sees bo online (in his party), messages him and invites him to hers.
    const seen = await http('GET', '/presence/bl-bo', 'bl-ana');
    assert.deepEqual([seen.status, seen.body.status, seen.body.text], [200, 'online', 'Online']);
    assert.equal((await http('POST', '/players/bl-ana/direct/bl-bo', 'bl-ana', { text: 'up for a raid?' })).status, 200);
    const anasParty = await openParty('bl-ana');
    const first = answer(anasParty);
    anasParty.send('invite', { playerId: 'bl-bo' });
    assert.deepEqual(await first, { invited: 'bl-bo' });

    assert.equal((await http('POST', '/players/bl-bo/friends/bl-ana/block', 'bl-bo')).body.blocking, true);

    const hidden = await http('GET', '/presence/bl-bo', 'bl-ana');
    assert.deepEqual([hidden.status, hidden.body.error.code], [403, 'presence/hidden']);
    const message = await http('POST', '/players/bl-ana/direct/bl-bo', 'bl-ana', { text: 'why?' });
    assert.deepEqual([message.status, message.body.error.code], [403, 'chat/blocked']);
    const again = answer(anasParty);
    anasParty.send('invite', { playerId: 'bl-bo' });
    assert.equal((await again).refused?.code, 'party/blocked');
    const asked = await http('POST', '/players/bl-ana/friends/bl-bo/request', 'bl-ana');
    assert.deepEqual([asked.status, asked.body.error.code], [403, 'friends/blocked']);
    // Only the message sent before the block was recorded.
    const direct = await http('GET', '/players/bl-bo/direct/bl-ana', 'bl-bo');
    assert.deepEqual(direct.body.messages.map((m: { text: string }) => m.text), ['up for a raid?']);
    await Promise.all([bosParty.leave(), anasParty.leave()]);
  });

  test('friends gather by invite; strangers and a seventh player are refused; the lead passes on when the leader leaves', async () => {
    const friends = ['pt-b', 'pt-c', 'pt-d', 'pt-e', 'pt-f', 'pt-g'];
    for (const f of friends) await befriend('pt-lead', f);
    const party = await openParty('pt-lead');
    const stranger = answer(party);
    party.send('invite', { playerId: 'pt-stranger' });
    assert.equal((await stranger).refused?.code, 'party/not_friends');
    await assert.rejects(server.client().joinById(party.roomId, { playerId: 'pt-stranger' }), /party\/not_invited/);
    for (const f of friends.slice(0, 5)) {
      const invited = answer(party);
      party.send('invite', { playerId: f });
      assert.deepEqual(await invited, { invited: f });
    }
    const full = answer(party);
    party.send('invite', { playerId: 'pt-g' });
    assert.equal((await full).refused?.code, 'party/full');
    const invites = await http('GET', '/players/pt-b/party-invites', 'pt-b');
    assert.deepEqual(invites.body.invites.map((i: { partyId: string; from: string }) => [i.partyId, i.from]), [[party.roomId, 'pt-lead']]);
    const joined = await server.client().joinById<PartyView>(party.roomId, { playerId: 'pt-b' });
    joined.onMessage('history', () => {});
    await until(joined, (s) => s.members?.size === 2, 'two in the party');
    await party.leave();
    await until(joined, (s) => s.leader === 'pt-b' && s.members.size === 1, 'the lead handed to pt-b');
    await joined.leave();
  });

  test("flagged chat in a legion's chat room is refused, reaches no one and is never recorded", async () => {
    const founded = await http('POST', '/legions', 'ch-lead', { name: 'Ember Court', tag: 'EMBR' });
    assert.equal(founded.status, 200);
    const legionId = founded.body.legionId as string;
    assert.equal((await http('POST', `/legions/${legionId}/invites`, 'ch-lead', { playerId: 'ch-mem' })).status, 200);
    assert.equal((await http('POST', `/legions/${legionId}/invites/accept`, 'ch-mem')).status, 200);
    const channel = `legion:${legionId}`;
    const outsider = await http('GET', `/chat/${channel}/messages`, 'ch-out');
    assert.equal(outsider.body.error.code, 'chat/not_member');

    const join = async (playerId: string) => {
      const room = await server.client().joinOrCreate('chat', { playerId, channel });
      const heard: string[] = [];
      let wake = () => {};
      room.onMessage('history', () => {});
      room.onMessage('chat', (m: { text: string }) => {
        heard.push(m.text);
        wake();
      });
      /** Resolves once `count` messages were heard. */
      const hears = (count: number) => new Promise<void>((resolve) => {
        wake = () => heard.length >= count && resolve();
        wake();
      });
      return { room, heard, hears };
    };
    const lead = await join('ch-lead');
    const member = await join('ch-mem');
    assert.equal(lead.room.roomId, member.room.roomId);
    const refusedFlag = new Promise<Refused>((resolve) => member.room.onMessage('refused', resolve));
    member.room.send('say', { text: 'you absolute IDIOT' });
    assert.equal((await refusedFlag).code, 'chat/flagged');
    member.room.send('say', { text: 'gg, well fought' });
    // A message over HTTP reaches the room too.
    assert.equal((await http('POST', `/chat/${channel}/messages`, 'ch-lead', { text: 'hall at nine' })).status, 200);
    await lead.hears(2);
    assert.deepEqual(lead.heard, ['gg, well fought', 'hall at nine']);
    const recorded = (await server.store.readStream(chatStreamId(channel))).map((e) => (e.data as { text?: string }).text);
    assert.deepEqual(recorded, ['gg, well fought', 'hall at nine']);
    await Promise.all([lead.room.leave(), member.room.leave()]);
  });
});
