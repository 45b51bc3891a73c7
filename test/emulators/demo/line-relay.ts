// The LINE user side of the demo page, through the LINE emulator's control routes (the same ones curl
// uses): the users this demo knows, creating one, following or blocking the account, writing to it, and
// the user's conversation. The emulator records only what the account sent a user, so what each user
// wrote is kept here, in memory like the emulator's state, to show both sides of the chat. The page can
// name only the demo channel and the users created here.
import express, { Router, type Request, type Response } from 'express';

interface DemoUser {
  userId: string;
  displayName: string;
}

type Written = { from: 'user'; at: number; message: Record<string, unknown> };

interface ControlAnswer {
  status: number;
  body: { events?: Array<{ timestamp: number; type: string }>; received?: Array<{ at: number; messages: object[] }>; friendship?: string } & Record<string, unknown>;
}

export function lineRelay(o: { lineUrl: string; channelId: string; firstUser: DemoUser }): Router {
  const r = Router();
  const users: DemoUser[] = [o.firstUser];
  const written = new Map<string, Written[]>([[o.firstUser.userId, []]]);
  const control = async (method: string, path: string, body?: unknown): Promise<ControlAnswer> => {
    const answer = await fetch(`${o.lineUrl}/_emulator/channels/${o.channelId}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: answer.status, body: await answer.json() };
  };
  const knownUser = (req: Request, res: Response): string | undefined => {
    const userId = String(req.params.userId);
    if (written.has(userId)) return userId;
    res.status(404).json({ message: `the demo knows no LINE user ${userId}` });
    return undefined;
  };
  /** Forwards an action; when LINE delivered it, remembers what the user did, at the event's time. */
  const act = async (req: Request, res: Response, path: string, body: unknown, seen: Record<string, unknown>) => {
    const userId = knownUser(req, res);
    if (!userId) return;
    const answer = await control('POST', `/users/${userId}${path}`, body);
    const at = answer.body.events?.[0]?.timestamp;
    if (answer.status === 200 && at !== undefined) written.get(userId)!.push({ from: 'user', at, message: seen });
    res.status(answer.status).json(answer.body);
  };

  r.use(express.json({ limit: '2mb' }));

  r.get('/users', (_req, res) => {
    res.json({ users });
  });

  r.post('/users', async (req, res) => {
    const answer = await control('POST', '/users', { displayName: req.body?.displayName });
    if (answer.status === 201) {
      const user = { userId: String(answer.body.userId), displayName: String(answer.body.displayName) };
      users.push(user);
      written.set(user.userId, []);
    }
    res.status(answer.status).json(answer.body);
  });

  r.post('/users/:userId/follow', (req, res) => act(req, res, '/follow', undefined, { type: 'follow' }));
  r.post('/users/:userId/block', (req, res) => act(req, res, '/block', undefined, { type: 'block' }));

  r.post('/users/:userId/messages', (req, res) => {
    const { text, sticker, image } = req.body ?? {};
    // The picture is shown back from what the person picked; the emulator keeps the bytes for the backend.
    const seen = image ? { type: 'image', src: `data:${image.contentType};base64,${image.base64}` } : sticker ? { type: 'sticker', ...sticker } : { type: 'text', text };
    return act(req, res, '/messages', { text, sticker, image }, seen);
  });

  r.get('/users/:userId/conversation', async (req, res) => {
    const userId = knownUser(req, res);
    if (!userId) return;
    const answer = await control('GET', `/users/${userId}/received`);
    if (answer.status !== 200) return void res.status(answer.status).json(answer.body);
    const fromAccount = (answer.body.received ?? []).flatMap((d) => d.messages.map((message) => ({ from: 'account', at: d.at, message })));
    const items = [...written.get(userId)!, ...fromAccount].sort((a, b) => a.at - b.at);
    // The page asks every second and pictures are large: when it has seen them all, only the friendship.
    const unchanged = Number(req.query.seen) === items.length;
    res.json({ friendship: answer.body.friendship, items: unchanged ? null : items });
  });

  return r;
}
