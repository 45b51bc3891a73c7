// The parts of the official @line/bot-sdk the backend uses, and the one module that imports them.
// The package's entry loads all of its APIs and models: 383 modules and about 8 MB of an idle backend's
// memory (issue 16). npm start's build (backend/build.ts) turns this module into a bundle of just what it
// exports (11 of the package's files, unchanged), so the built backend never loads the rest; run from
// source, it is the package itself. ESLint keeps the rest of backend/src importing the SDK through here.
export { channelAccessToken, HTTPFetchError, liff, messagingApi, validateSignature } from '@line/bot-sdk';
