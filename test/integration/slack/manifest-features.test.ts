import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const manifest = parse(readFileSync(new URL('../../../manifest/slack-app.yaml', import.meta.url), 'utf8'));
const guide = readFileSync(new URL('../../../manifest/README-slack.md', import.meta.url), 'utf8');

// Manifest fields per https://docs.slack.dev/reference/app-manifest.
describe('manifest/slack-app.yaml: App Home, joining channels, channel names', () => {
  it('enables the Home tab and subscribes to app_home_opened on the /slack/events route', () => {
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.settings.event_subscriptions.request_url).toBe(manifest.features.slash_commands[0].url);
  });

  it('asks for channels:join (not_in_channel) and channels:read (#name) and keeps should_escape false', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['channels:join', 'channels:read']));
    expect(manifest.features.slash_commands[0].should_escape).toBe(false);
  });

  it('has a set-up guide that says what each choice does and uses whoami', () => {
    for (const word of [
      'channels:join',
      '/invite @opsgate',
      'channels:read',
      'app_home_opened',
      '/ops whoami',
      '/ops inbox',
    ]) {
      expect(guide).toContain(word);
    }
  });
});
