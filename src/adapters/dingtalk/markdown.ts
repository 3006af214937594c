/**
 * Escapes text that opsgate did not write (pipeline, stage and step names, reasons, nicknames) before it goes into a
 * DingTalk markdown field, so that a name cannot add a link, an image (a tracking pixel), emphasis or a heading.
 *
 * DingTalk documents the markdown subset it renders (headings, bold, italics, links, images, lists, quotes:
 * https://open.dingtalk.com/document/orgapp/message-types-and-data-format) but not how it escapes; this uses
 * CommonMark backslash escapes (https://spec.commonmark.org/0.31.2/#backslash-escapes) for the characters that
 * open those constructs. No source settles whether every DingTalk client honours them; where one does not, the
 * backslash shows, and the construct is still broken (`\[x\](y)` is not a link to y in any CommonMark reader).
 */
export function escapeDingTalkMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`).replace(/^(\s*)([#>+-]|\d+\.)/gm, '$1\\$2');
}
