// The patent's IP/MAC rule: addresses compared in normalised form, per kind, under the policy.
import { describe, expect, it } from 'vitest';
import { judgeLogin, normaliseIp, normaliseMac } from '../../main/domain/device';

describe('address normalisation', () => {
  it('writes IPv4 without leading zeros and refuses what is not an address', () => {
    expect(normaliseIp('010.001.002.003')).toBe('10.1.2.3');
    expect(normaliseIp(' 192.168.0.1 ')).toBe('192.168.0.1');
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '', '1..2.3']) expect(normaliseIp(bad), bad).toBeNull();
  });

  it('writes IPv6 in RFC 5952 form and IPv4-mapped addresses as IPv4', () => {
    expect(normaliseIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(normaliseIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(normaliseIp('[fe80::1%eth0]')).toBe('fe80::1');
    expect(normaliseIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(normaliseIp('::')).toBe('::');
    for (const bad of ['2001:db8::1::2', '12345::', ':::1', 'g::1']) expect(normaliseIp(bad), bad).toBeNull();
  });

  it('writes MAC addresses as lowercase colon pairs from every common form', () => {
    for (const form of ['AA-BB-CC-00-11-22', 'aa:bb:cc:00:11:22', 'aabb.cc00.1122', 'AABBCC001122'])
      expect(normaliseMac(form), form).toBe('aa:bb:cc:00:11:22');
    for (const bad of ['aa:bb:cc:00:11', 'aa-bb:cc-00:11-22', 'zz:bb:cc:00:11:22']) expect(normaliseMac(bad), bad).toBeNull();
  });
});

describe('judging a login', () => {
  const reg = [
    { kind: 'ip' as const, address: '10.1.2.3' },
    { kind: 'mac' as const, address: 'aa:bb:cc:00:11:22' },
  ];
  it('goes on when every shared kind matches', () => {
    expect(judgeLogin(reg, { ip: '10.1.2.3' }, 'strict')).toMatchObject({ matches: true, outcome: 'ok' });
    expect(judgeLogin(reg, { ip: '10.1.2.3', mac: 'aa:bb:cc:00:11:22' }, 'strict').outcome).toBe('ok');
  });
  it('closes the login on a mismatch under strict, flags it under review', () => {
    expect(judgeLogin(reg, { ip: '10.9.9.9' }, 'strict')).toMatchObject({
      outcome: 'blocked',
      reason: 'IP 10.9.9.9 is not the registered IP',
    });
    expect(judgeLogin(reg, { ip: '10.1.2.3', mac: '00:00:00:00:00:01' }, 'review')).toMatchObject({
      outcome: 'flagged',
      reason: 'MAC 00:00:00:00:00:01 is not the registered MAC',
    });
  });
  it('never matches IP against MAC, nor a login with no comparable address', () => {
    expect(judgeLogin([{ kind: 'mac', address: 'aa:bb:cc:00:11:22' }], { ip: '10.1.2.3' }, 'strict')).toMatchObject({
      outcome: 'blocked',
      reason: 'the login gave no address of a registered kind',
    });
  });
});
