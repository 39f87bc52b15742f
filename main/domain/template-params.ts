// A catalogue's English templates name each code's parameters as `{param}` placeholders: the
// parameter types are read off the templates, so a code's parameters are written once.

/** The names of a template's `{param}` placeholders (a count's `{n|row|rows}` names `n`), as a union. */
export type Placeholders<T extends string> = T extends `${string}{${infer Blank}}${infer Rest}`
  ? (Blank extends `${infer Name}|${string}` ? Name : Blank) | Placeholders<Rest>
  : never;

/** A template's parameters: one string for each placeholder. */
export type TemplateParams<T extends string> = Record<Placeholders<T>, string>;

/** Each code's parameters, from its template. */
export type ParamsByCode<Templates extends Readonly<Record<string, string>>> = { [C in keyof Templates]: TemplateParams<Templates[C]> };
