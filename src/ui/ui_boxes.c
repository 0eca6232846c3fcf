/* ui_boxes.c - what the console puts over the view or hands out of it (ui_internal.h): the
 * `?` help box built from the key and command tables, the `:cli` box with the aws CLI
 * command that reads what the cursor is on, and `y`'s clipboard sequence (OSC 52), written
 * to the terminal after a frame. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/awsconfig.h"
#include "ui/frame.h"
#include "ui/osc52.h"
#include "ui/ui_internal.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

void ui_popup_close(struct ui *ui)
{
    if (ui->popup_kind != UI_POPUP_NONE)
        popup_done(&ui->popup);
    ui->popup_kind = UI_POPUP_NONE;
    xfree_secret(ui->popup_copy);   /* an action's output may hold a session token */
    ui->popup_copy = NULL;
    ui->dirty = true;
}

/* Every key of the view on screen, the framework's, and the `:` commands, from the same
 * tables the keys and commands are handled by. */
void ui_help_open(struct ui *ui)
{
    const struct view *v = view_registry[ui_current(ui)];
    char *title = xasprintf("%s: keys", v->title ? v->title : v->name);

    ui_popup_close(ui);
    popup_init(&ui->popup, title, "any other key closes");
    free(title);
    if (v->keys && v->keys[0].keys) {
        popup_heading(&ui->popup, "This view");
        for (size_t i = 0; v->keys[i].keys; i++)
            popup_add(&ui->popup, v->keys[i].keys, v->keys[i].what);
        popup_blank(&ui->popup);
    }
    popup_heading(&ui->popup, "Everywhere");
    for (size_t i = 0; frame_keys[i].keys; i++)
        popup_add(&ui->popup, frame_keys[i].keys, frame_keys[i].what);
    popup_blank(&ui->popup);
    popup_heading(&ui->popup, "Commands (type : first; Tab completes)");
    for (size_t i = 0; view_registry[i]; i++) {
        char *k = xasprintf(":%s", view_registry[i]->name);
        char *w = view_registry[i]->number
                      ? xasprintf("open %s (key %d)", view_registry[i]->title,
                                  view_registry[i]->number)
                      : xasprintf("open %s", view_registry[i]->title);

        popup_add(&ui->popup, k, w);
        free(k);
        free(w);
    }
    for (size_t i = 0; i < cmdline_ncmds; i++) {
        char *k = cmdline_cmds[i].alias ? xasprintf(":%s, :%s", cmdline_cmds[i].usage,
                                                    cmdline_cmds[i].alias)
                                        : xasprintf(":%s", cmdline_cmds[i].usage);

        popup_add(&ui->popup, k, cmdline_cmds[i].help);
        free(k);
    }
    {
        char rate[256];

        ui_request_rate(ui, rate, sizeof(rate));
        popup_blank(&ui->popup);
        popup_heading(&ui->popup, "This console's requests");
        popup_add(&ui->popup, "now", rate);
    }
    ui->popup_kind = UI_POPUP_HELP;
    ui->dirty = true;
}

void ui_request_rate(struct ui *ui, char *out, size_t outlen)
{
    struct aws_client_stats stats = {0};

    if (ui->client)
        aws_client_get_stats(ui->client, &stats);
    reqrate_format(&ui->reqrate, timeutil_mono_ms(), &stats, out, outlen);
}

/* The flags that make a hand-off command read the same account, region and endpoint. */
static char *cli_flags(const struct ui *ui)
{
    struct aws_error err;
    const char *source = NULL;
    char *endpoint, *q, *out;
    struct buf b;

    buf_init(&b);
    if (ui->cfg->profile_explicit || strcmp(ui->cfg->profile, "default") != 0) {
        q = view_shell_quote(ui->cfg->profile);
        buf_printf(&b, " --profile %s", q);
        free(q);
    }
    q = view_shell_quote(ui->cfg->region);
    buf_printf(&b, " --region %s", q);
    free(q);
    aws_error_clear(&err);
    endpoint = aws_config_endpoint(ui->cfg, "sqs", &source, &err);
    /* an emulator, a VPC endpoint: the colleague must reach the same one */
    if (endpoint && source && strcmp(source, "default") != 0) {
        q = view_shell_quote(endpoint);
        buf_printf(&b, " --endpoint-url %s", q);
        free(q);
    }
    free(endpoint);
    out = buf_steal(&b);
    return out ? out : xstrdup("");
}

void ui_cli_open(struct ui *ui)
{
    size_t vi = ui_current(ui);
    const struct view *v = view_registry[vi];
    struct view_ctx ctx;
    char cmd[4096], *flags;
    struct buf all;

    ui_popup_close(ui);
    ui_ctx(ui, vi, &ctx);
    if (v->update)
        ui_apply(ui, vi, v->update(ui->priv[vi], &ctx), &ctx);
    cmd[0] = '\0';
    if (!v->cli || !v->cli(ui->priv[vi], &ctx, cmd, sizeof(cmd)) || !cmd[0]) {
        ui_message(ui, true, ":cli: nothing here reads from AWS by itself; open a queue in "
                             ":sqs or :dlq first");
        return;
    }
    flags = cli_flags(ui);
    popup_init(&ui->popup, "aws CLI: reads what the cursor is on", "y copies it, any other key closes");
    buf_init(&all);
    /* one command a line; each gets the flags (profile, region, endpoint) */
    for (char *line = cmd, *nl; line; line = nl) {
        char *one;

        nl = strchr(line, '\n');
        if (nl)
            *nl++ = '\0';
        if (!*line)
            continue;
        one = xasprintf("%s%s", line, flags);
        popup_text_clean(&ui->popup, one);
        if (all.len)
            buf_putc(&all, '\n');
        buf_puts(&all, one);
        free(one);
    }
    free(flags);
    /* what y copies is what the box shows */
    ui->popup_copy = buf_steal(&all);
    ui->popup_kind = UI_POPUP_CLI;
    ui->dirty = true;
}

void ui_copy(struct ui *ui, const char *text, const char *what)
{
    free(ui->clip);
    ui->clip = osc52_sequence(text);
    /* the terminal says nothing back: the line names what a silent clipboard needs */
    ui_message(ui, false, "copied %s (OSC 52; in tmux: set -g set-clipboard on)", what);
}

/* The pending clipboard sequence, after the frame (the terminal is not mid-update). */
void ui_clip_flush(struct ui *ui)
{
    size_t len, off = 0;

    if (!ui->clip)
        return;
    len = strlen(ui->clip);
    if (ui->headless) {
        if (ui->out) {
            fputs(ui->clip, ui->out);
            fflush(ui->out);
        }
    } else {
        fflush(stdout);
        while (off < len) {
            ssize_t n = write(STDOUT_FILENO, ui->clip + off, len - off);

            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;  /* a terminal that went away: nothing else to do with it */
            off += (size_t)n;
        }
    }
    free(ui->clip);
    ui->clip = NULL;
}
