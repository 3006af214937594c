import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const manifest = parse(readFileSync(new URL('../../../manifest/slack-app.yaml', import.meta.url), 'utf8'));

// Constraints of "create from manifest" (https://docs.slack.dev/reference/app-manifest).
describe('manifest/slack-app.yaml', () => {
  it('declares /ops, interactivity and the bot scopes on the /slack/events route', () => {
    const [command] = manifest.features.slash_commands;
    expect(command.command).toBe('/ops');
    expect(command.url).toMatch(/^https:\/\/.+\/slack\/events$/);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: command.url });
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write']));
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('keeps within the manifest field limits', () => {
    const info = manifest.display_information;
    expect(info.name.length).toBeLessThanOrEqual(35);
    expect(info.description.length).toBeLessThanOrEqual(140);
    expect(info.long_description.length).toBeGreaterThanOrEqual(174);
    expect(info.long_description.length).toBeLessThanOrEqual(4000);
    expect(info.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
    expect(manifest.features.slash_commands[0].description.length).toBeLessThanOrEqual(2000);
  });
});
