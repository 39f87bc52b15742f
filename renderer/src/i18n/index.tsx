// The message catalogue: useT() gives t(key, vars) for the current language; useLang() switches it.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { fillTemplate } from '../../../main/domain/refusals';
import { zhCN, type MessageKey } from './zh-CN';
import { en } from './en';

export type Lang = 'zh-CN' | 'en';
export type { MessageKey };
export type TFunction = (key: MessageKey, vars?: Record<string, string | number>) => string;

const catalogues: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
const STORE_KEY = 'coffer.lang';

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = catalogues[lang][key] ?? key;
  if (!vars) return text;
  const params = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)]));
  return fillTemplate(text, params, (_name, value) => value);
}

/** Whether the catalogue has a message for `key` (one made from a word the books hand over). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}

/**
 * The message for a key made from a word the books hand over (a status, a kind, a code), or `fallback`
 * (the word as stored, say) where the catalogue has none: never the key itself on the screen.
 */
export function lookup(t: TFunction, key: string, fallback: string, vars?: Record<string, string | number>): string {
  return isMessageKey(key) ? t(key, vars) : fallback;
}

interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t: TFunction;
}

const Ctx = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initialLang();
    dayjs.locale(l === 'en' ? 'en' : 'zh-cn');
    return l;
  });
  const setLang = useCallback((l: Lang) => {
    dayjs.locale(l === 'en' ? 'en' : 'zh-cn');
    document.documentElement.lang = l;
    try {
      localStorage.setItem(STORE_KEY, l);
    } catch {
      /* storage may be unavailable; the switch still works for this window */
    }
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (k, v) => translate(lang, k, v) }), [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const c = useContext(Ctx);
  if (!c) throw new Error('useI18n outside I18nProvider');
  return c;
}

export function useT(): TFunction {
  return useI18n().t;
}

/** What is named in both languages (a subject of the chart: { name, nameEn }) by its name in the console's language. */
export function useLocalName(): (x: { name: string; nameEn: string }) => string {
  const { lang } = useI18n();
  return useCallback((x) => (lang === 'en' ? x.nameEn : x.name), [lang]);
}
