#!/usr/bin/env node
import { main } from './main.js';

// Exit explicitly: client libraries can keep sockets and timers alive after the work is done.
process.exit(await main(process.argv.slice(2)));
