// The password comes from standard input: its first line (scripts pipe it in), or typed at a terminal
// without echo. It is never an argument, where `ps` and shell history would show it.
import { UsageError } from './usage';

export async function readPassword(prompt = 'Password: ', input: NodeJS.ReadStream = process.stdin): Promise<string> {
  const text = input.isTTY ? await readHidden(prompt, input) : await readFirstLine(input);
  if (text === null) throw new UsageError('no password on standard input (pipe it in, e.g. `coffer ... < password.txt`)');
  return text;
}

function readFirstLine(input: NodeJS.ReadStream): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let got = false;
    const finish = (line: string | null) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      input.destroy();
      resolve(line === null ? null : line.replace(/\r$/, ''));
    };
    const onData = (chunk: string) => {
      got = true;
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl >= 0) finish(buf.slice(0, nl));
    };
    const onEnd = () => finish(got ? buf : null);
    const onError = (e: Error) => reject(e);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
  });
}

function readHidden(prompt: string, input: NodeJS.ReadStream): Promise<string | null> {
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    let text = '';
    input.setRawMode(true);
    input.setEncoding('utf8');
    const done = (value: string | null) => {
      input.setRawMode(false);
      input.off('data', onData);
      input.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(text);
        if (ch === '\u0003') {
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\u0004') return done(text.length ? text : null);
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
