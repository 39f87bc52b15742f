// Reading a Server-Sent Events stream from a fetch body (EventSource cannot send the session's header):
// each event's `data:` lines, joined, handed on as they arrive. Plain web APIs only — the console's web
// transport (renderer/src/api/web.ts) and the tests read /api/events with it.
export async function readEventData(body: ReadableStream<Uint8Array>, onData: (data: string) => void): Promise<void> {
  const reader = body.getReader();
  const text = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += text.decode(value, { stream: true });
    for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
      const data = buf
        .slice(0, i)
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      buf = buf.slice(i + 2);
      if (data) onData(data);
    }
  }
}
