// Bearer-token authentication of Messaging API calls and the per-channel rate limit.
import type { NextFunction, Request, Response } from 'express';
import { sendLineError } from './http.ts';
import type { Channel, LineState } from './state.ts';

export function requireChannel(state: LineState) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) {
      return sendLineError(res, 401, "Authorization header required. Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'");
    }
    const channel = state.channelByToken(match[1]);
    if (!channel) {
      return sendLineError(res, 401, 'Authentication failed. Confirm that the access token in the authorization header is valid.');
    }
    res.locals.channelId = channel.channelId;
    res.locals.channel = channel;
    if (!state.takeRateToken(channel)) {
      return sendLineError(res, 429, 'The API rate limit has been exceeded. Try again later.');
    }
    next();
  };
}

/** The channel that requireChannel authenticated. */
export const channelOf = (res: Response): Channel => res.locals.channel as Channel;
