/* test_view_toggles.c - the toggles view drawn headless from a hand-filled store on a fixed
 * clock: the three kinds in one list, what is off or changing first, on/off/changing/unknown,
 * what AWS says (never a secure value), a flip of this session shown as changing while its
 * job runs, a kind not read yet or failing said on its own line (never an empty all-clear),
 * the target of the flip key, the overview's section, 80x24 and hostile names; the pane's
 * "Flipped here" from a temporary audit log. */
#include "config.h"
#include "check_tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/action.h"
#include "act/job.h"
#include "screen_test.h"
#include "poll/store.h"
#include "view.h"

static int64_t fake_now;

static int64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

struct world {
    struct store *store;
    struct appconfig *cfg;
    struct screen_test *scr;
    struct view_ctx ctx;
    void *priv;
};

#define NOW_S 1800000000   /* the store's clock, in seconds */

static void put_mapping(struct store *s, const char *uuid, const char *fn, const char *q,
                        const char *aws, const char *state, int64_t mod)
{
    struct store_res *r = store_update_begin(s, "mapping", uuid);
    char name[256];

    snprintf(name, sizeof(name), "%s:%s", fn, q);
    store_set_str(r, "name", name);
    store_set_str(r, "function", fn);
    store_set_str(r, "queue", q);
    store_set_str(r, "aws_state", aws);
    store_set_str(r, "state", state);
    store_set_int(r, "batch_size", 10);
    store_set_int(r, "last_modified", mod);
    store_update_commit(r);
}

static void put_rule(struct store *s, const char *key, const char *name, const char *aws,
                     const char *state, const char *sched)
{
    struct store_res *r = store_update_begin(s, "rule", key);

    store_set_str(r, "name", name);
    store_set_str(r, "rule", name);
    store_set_str(r, "bus", "default");
    store_set_str(r, "aws_state", aws);
    store_set_str(r, "state", state);
    if (sched)
        store_set_str(r, "schedule", sched);
    store_update_commit(r);
}

static void put_param(struct store *s, const char *param, const char *toggle, bool secure,
                      const char *value, const char *state)
{
    struct store_res *r = store_update_begin(s, "parameter", param);

    store_set_str(r, "name", toggle ? toggle : param);
    store_set_str(r, "parameter", param);
    if (toggle)
        store_set_str(r, "toggle", toggle);
    store_set_int(r, "exists", 1);
    store_set_str(r, "type", secure ? "SecureString" : "String");
    store_set_int(r, "secure", secure);
    if (value)
        store_set_str(r, "value", value);
    store_set_str(r, "state", state);
    store_set_int(r, "last_modified", NOW_S - 7200);
    store_update_commit(r);
}

static void seed(struct store *s)
{
    store_list_begin(s, "mapping");
    put_mapping(s, "u-1", "orders-worker", "orders", "Enabled", "on", NOW_S - 90);
    put_mapping(s, "u-2", "billing-worker", "billing", "Disabling", "changing", NOW_S - 30);
    store_list_end(s, "mapping");
    store_list_begin(s, "rule");
    put_rule(s, "default/nightly", "nightly", "ENABLED", "on", "rate(1 day)");
    put_rule(s, "default/fanout", "fanout", "DISABLED", "off", NULL);
    store_list_end(s, "rule");
    store_list_begin(s, "parameter");
    put_param(s, "/flags/outbound", "outbound", false, "enabled", "on");
    put_param(s, "/flags/pay", "payments", true, NULL, "off");
    put_param(s, "/flags/odd", "odd", false, "maybe", "unknown");
    put_param(s, "/flags/limit", NULL, false, "50", "value");
    store_list_end(s, "parameter");
}

/* $XDG_STATE_HOME of the running case: the audit log the pane reads is ours, never the
 * user's (Check forks per case, so each case has its own). */
static char state_home[256];

static void state_home_init(void)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(state_home, sizeof(state_home), "%s/opsdeck-toggles-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(state_home));
    setenv("XDG_STATE_HOME", state_home, 1);
}

/* Appends text to $XDG_STATE_HOME/opsdeck/audit.jsonl as it is. */
static void audit_add(const char *text)
{
    char path[400];
    FILE *f;

    snprintf(path, sizeof(path), "%s/opsdeck", state_home);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/opsdeck/audit.jsonl", state_home);
    f = fopen(path, "a");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void world_init(struct world *w, int cols, int lines, bool seeded)
{
    if (!state_home[0])
        state_home_init();
    fake_now = (int64_t)NOW_S * 1000;
    w->store = store_new();
    store_set_clock(w->store, fake_clock, NULL);
    if (seeded)
        seed(w->store);
    w->cfg = appconfig_new();
    w->scr = screen_test_new(cols, lines);
    screen_test_ctx(w->scr, &w->ctx, w->store, w->cfg, false);
    w->priv = calloc(1, toggles_view.private_size);
    ck_assert_ptr_nonnull(w->priv);
    toggles_view.init(w->priv, &w->ctx);
}

/* Removes the case's $XDG_STATE_HOME (what audit_add and the pane may have left in it). */
static void state_home_done(void)
{
    char path[400];

    if (!state_home[0])
        return;
    snprintf(path, sizeof(path), "%s/opsdeck/audit.jsonl", state_home);
    unlink(path);
    snprintf(path, sizeof(path), "%s/opsdeck", state_home);
    rmdir(path);
    rmdir(state_home);
    state_home[0] = '\0';
}

static void world_done(struct world *w)
{
    state_home_done();
    toggles_view.done(w->priv);
    free(w->priv);
    screen_test_free(w->scr);
    appconfig_free(w->cfg);
    store_free(w->store);
}

static void frame(struct world *w)
{
    w->ctx.now_ms = store_now(w->store);
    toggles_view.update(w->priv, &w->ctx);
    toggles_view.draw(w->priv, &w->ctx, w->scr->win);
}

static int find(struct world *w, const char *needle)
{
    int y = screen_test_find(w->scr->win, needle);

    if (y < 0) {
        fprintf(stderr, "# \"%s\" not on screen:\n", needle);
        screen_test_dump(w->scr->win, stderr);
    }
    return y;
}

static bool row_has(struct world *w, int y, const char *needle)
{
    char *row = screen_test_row(w->scr->win, y);
    bool hit = strstr(row, needle) != NULL;

    free(row);
    if (!hit) {
        fprintf(stderr, "# row %d lacks \"%s\":\n", y, needle);
        screen_test_dump(w->scr->win, stderr);
    }
    return hit;
}

START_TEST(one_list_off_and_changing_first)
{
    struct world w;
    int y;

    world_init(&w, 80, 24, true);
    frame(&w);
    ck_assert(row_has(&w, 0, "Toggles  2 off, 1 changing, 8 total"));
    ck_assert(row_has(&w, 1, "TYPE"));
    ck_assert(row_has(&w, 1, "STATE"));
    ck_assert(row_has(&w, 1, "AWS SAYS"));
    /* changing first, then off (by name), then the rest */
    ck_assert(row_has(&w, 2, "billing-worker:billing"));
    ck_assert(row_has(&w, 2, "changing"));
    ck_assert(row_has(&w, 2, "Disabling"));
    ck_assert(row_has(&w, 3, "fanout"));
    ck_assert(row_has(&w, 3, "off"));
    ck_assert(row_has(&w, 4, "payments"));
    ck_assert(row_has(&w, 4, "(secure)"));
    y = find(&w, "orders-worker:orders");
    ck_assert_int_gt(y, 4);
    ck_assert(row_has(&w, y, "trigger"));
    ck_assert(row_has(&w, y, "1m30s"));     /* LastModified 90 s ago */
    ck_assert(row_has(&w, y, "queue orders, bat"));   /* cut at 80 columns */
    y = find(&w, "nightly");
    ck_assert(row_has(&w, y, "rate(1 day)"));
    y = find(&w, "odd");
    ck_assert(row_has(&w, y, "unknown"));
    ck_assert(row_has(&w, y, "maybe"));
    y = find(&w, "/flags/limit");
    ck_assert(row_has(&w, y, "value"));
    ck_assert(row_has(&w, y, "read-only"));
    /* every row fits 80 columns, nothing read is missing */
    ck_assert_int_lt(find(&w, "outbound"), 24);
    world_done(&w);
}
END_TEST

/* A flip of this session: its job on the row's name makes the row changing until it ends,
 * whatever the last poll said; then the row is what AWS said again. */
START_TEST(flip_job_shows_changing)
{
    struct world w;
    struct jobs *js;
    struct job *j;
    int y;

    world_init(&w, 80, 24, true);
    js = jobs_new(w.store, fake_clock, NULL);
    j = jobs_add(js, toggle_flip_action.title, "nightly", 1);
    frame(&w);
    y = find(&w, "nightly");
    ck_assert(row_has(&w, y, "changing"));
    ck_assert(row_has(&w, 0, "2 changing"));
    job_set_state(j, JOB_DONE, NULL);
    frame(&w);
    y = find(&w, "nightly");
    {
        char *row = screen_test_row(w.scr->win, y);
        ck_assert_msg(!strstr(row, "changing"), "still changing: %s", row);
        free(row);
    }
    ck_assert(row_has(&w, 0, "1 changing"));
    jobs_free(js);
    world_done(&w);
}
END_TEST

static int key(struct world *w, int k)
{
    return toggles_view.key(w->priv, &w->ctx, k);
}

/* A row changing shows a spinner after the word, which turns as the clock moves: two draws
 * a second apart show two frames, each drawn from the glyph table in use (ASCII under
 * --ascii); a row that is not changing has none. The pane's State line turns with it. */
START_TEST(changing_rows_spin)
{
    struct world w;
    char *a, *b;
    int y;

    world_init(&w, 80, 24, true);
    frame(&w);
    y = find(&w, "billing-worker:billing");
    a = screen_test_row(w.scr->win, y);
    ck_assert_msg(strstr(a, "changing \xe2\xa3\xbe"), "no first UTF-8 frame: %s", a);
    fake_now += 1000;
    frame(&w);
    b = screen_test_row(w.scr->win, y);
    ck_assert_msg(strstr(b, "changing \xe2\xa3\xbd"), "no second UTF-8 frame: %s", b);
    ck_assert_str_ne(a, b);
    free(a);
    free(b);
    /* nothing else spins */
    a = screen_test_row(w.scr->win, find(&w, "orders-worker:orders"));
    ck_assert_msg(!strstr(a, "\xe2\xa3"), "a row that is on spins: %s", a);
    free(a);
    /* the pane */
    ck_assert(toggles_view.select(w.priv, &w.ctx, "mapping:u-2"));
    key(&w, '\n');
    frame(&w);
    ck_assert(row_has(&w, find(&w, "State"), "changing \xe2\xa3\xbd (AWS says Disabling)"));
    fake_now += 1000;
    frame(&w);
    ck_assert(row_has(&w, find(&w, "State"), "changing \xe2\xa3\xbb (AWS says Disabling)"));
    key(&w, 27);
    /* --ascii: the ASCII table's frames */
    w.ctx.glyphs = &glyphs_ascii;
    fake_now = (int64_t)NOW_S * 1000;
    frame(&w);
    ck_assert(row_has(&w, find(&w, "billing-worker:billing"), "changing |"));
    fake_now += 1000;
    frame(&w);
    ck_assert(row_has(&w, find(&w, "billing-worker:billing"), "changing /"));
    world_done(&w);
}
END_TEST

/* Nothing read: each kind says so, never "0 off". One kind failing: its cause, the others'
 * rows still shown. */
START_TEST(unread_and_failing_kinds)
{
    struct world w;
    struct aws_error e;

    world_init(&w, 80, 24, false);
    frame(&w);
    ck_assert_int_ge(find(&w, "Lambda SQS triggers: not read yet"), 1);
    ck_assert_int_ge(find(&w, "EventBridge rules: not read yet"), 1);
    ck_assert_int_ge(find(&w, "SSM parameters: not read yet"), 1);
    world_done(&w);

    world_init(&w, 100, 24, true);
    aws_error_clear(&e);
    e.kind = AWS_ERR_HTTP;
    e.http_status = 400;
    snprintf(e.code, sizeof(e.code), "AccessDeniedException");
    snprintf(e.message, sizeof(e.message),
             "not authorized to perform lambda:ListEventSourceMappings");
    store_list_fail(w.store, "mapping", &e);
    frame(&w);
    ck_assert_int_ge(find(&w, "Lambda SQS triggers: cannot read:"), 1);
    ck_assert(row_has(&w, 1, "access denied"));
    ck_assert_int_ge(find(&w, "fanout"), 1);
    world_done(&w);
}
END_TEST

START_TEST(target_and_keys)
{
    struct world w;
    struct act_target t;
    const struct view_action *a = toggles_view.actions;

    world_init(&w, 80, 24, true);
    frame(&w);
    ck_assert_int_eq(a[0].key, ' ');
    ck_assert_str_eq(a[0].action, "toggle-flip");
    ck_assert_int_eq(a[1].key, 't');
    ck_assert_ptr_nonnull(action_find(a[0].action));
    /* the cursor starts on the first row: the changing mapping */
    ck_assert(toggles_view.target(w.priv, &w.ctx, "toggle-flip", &t));
    ck_assert_str_eq(t.kind, "mapping");
    ck_assert_str_eq(t.key, "u-2");
    ck_assert_str_eq(t.name, "billing-worker:billing");
    ck_assert(toggles_view.select(w.priv, &w.ctx, "rule:default/fanout"));
    ck_assert(toggles_view.target(w.priv, &w.ctx, "toggle-flip", &t));
    ck_assert_str_eq(t.kind, "rule");
    ck_assert_str_eq(t.key, "default/fanout");
    ck_assert(toggles_view.select(w.priv, &w.ctx, "parameter:/flags/pay"));
    ck_assert(toggles_view.target(w.priv, &w.ctx, "toggle-flip", &t));
    ck_assert_str_eq(t.kind, "parameter");
    ck_assert_str_eq(t.name, "payments");
    world_done(&w);
}
END_TEST

START_TEST(hostile_names)
{
    struct world w;
    struct store_res *r;

    world_init(&w, 80, 24, true);
    r = store_update_begin(w.store, "rule", "default/x");
    store_set_str(r, "name", "evil\x1b[2J\xe2\x80\xae" "cod.exe");
    store_set_str(r, "aws_state", "ENABLED");
    store_set_str(r, "state", "on");
    store_set_str(r, "pattern", "{\"a\":\"\x07\"}");
    store_update_commit(r);
    frame(&w);
    ck_assert_int_ge(find(&w, "evil\\x1B[2J"), 2);
    for (int y = 0; y < 24; y++) {
        char *row = screen_test_row(w.scr->win, y);
        ck_assert_msg(!strchr(row, 0x1b) && !strchr(row, 0x07), "row %d: raw control", y);
        ck_assert_msg(!strstr(row, "\xe2\x80\xae"), "row %d: raw bidi override", y);
        free(row);
    }
    world_done(&w);
}
END_TEST

static void put_detail_targets(struct store *s, const char *key, const char *json, int n)
{
    struct store_res *r = store_update_begin(s, "toggle_detail", key);

    store_set_int(r, "exists", 1);
    store_set_str(r, "targets", json);
    store_set_int(r, "ntargets", n);
    store_update_commit(r);
}

/* Enter on a rule: its pane says what AWS gives of when (nothing: CloudTrail has it), its
 * targets once the pane's source read them, each one's input and DLQ; the flip key acts on
 * the pane's rule; Esc goes back to the list with the cursor where it was. */
START_TEST(pane_rule_targets)
{
    struct world w;
    struct act_target t;
    int y;

    world_init(&w, 80, 24, true);
    frame(&w);
    ck_assert(toggles_view.select(w.priv, &w.ctx, "rule:default/fanout"));
    ck_assert_ptr_null(toggles_view.detail(w.priv));
    ck_assert_int_eq(key(&w, '\n'), VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL);
    ck_assert_str_eq(toggles_view.detail(w.priv), "rule:default/fanout");
    frame(&w);
    ck_assert(row_has(&w, 0, "rule fanout"));
    ck_assert(row_has(&w, find(&w, "State"), "off (AWS says DISABLED)"));
    ck_assert(row_has(&w, find(&w, "Changed"), "not given by EventBridge (CloudTrail"));
    y = find(&w, "Targets");
    ck_assert(row_has(&w, y + 1, "loading"));
    /* the pane's source answers */
    put_detail_targets(w.store, "rule:default/fanout",
                       "[{\"id\":\"to-billing\",\"arn\":\"arn:aws:sqs:us-east-1:1:billing\","
                       "\"dlq\":\"arn:aws:sqs:us-east-1:1:billing-dlq\",\"input\":\"event\"},"
                       "{\"id\":\"to-audit\",\"arn\":\"arn:aws:sqs:us-east-1:1:audit\","
                       "\"input\":\"transformer\"}]", 2);
    frame(&w);
    y = find(&w, "Targets (2)");
    ck_assert_int_gt(y, 0);
    ck_assert(row_has(&w, y + 1, "to-billing"));
    ck_assert(row_has(&w, y + 1, "arn:aws:sqs:us-east-1:1:billing"));
    ck_assert(row_has(&w, y + 2, "input"));
    ck_assert(row_has(&w, y + 2, "the whole event"));
    ck_assert(row_has(&w, y + 3, "DLQ"));
    ck_assert(row_has(&w, y + 3, "arn:aws:sqs:us-east-1:1:billing-dlq"));
    ck_assert(row_has(&w, y + 4, "to-audit"));
    ck_assert(row_has(&w, y + 5, "input transformer: the event is rewritten"));
    ck_assert(row_has(&w, y + 6, "none: failed deliveries are dropped after retries"));
    /* Space/t in the pane flip the pane's rule */
    ck_assert(toggles_view.target(w.priv, &w.ctx, "toggle-flip", &t));
    ck_assert_str_eq(t.kind, "rule");
    ck_assert_str_eq(t.key, "default/fanout");
    /* a rule that sends nowhere says so */
    put_detail_targets(w.store, "rule:default/fanout", "[]", 0);
    frame(&w);
    ck_assert(row_has(&w, find(&w, "Targets (0)") + 1, "none: the rule sends nowhere"));
    ck_assert_int_eq(key(&w, 27), VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL);
    ck_assert_ptr_null(toggles_view.detail(w.priv));
    frame(&w);
    ck_assert(row_has(&w, 0, "Toggles"));
    ck_assert(toggles_view.target(w.priv, &w.ctx, "toggle-flip", &t));
    ck_assert_str_eq(t.key, "default/fanout");
    /* back in the list Esc is the framework's */
    ck_assert_int_eq(key(&w, 27), VIEW_UNHANDLED);
    /* a jump to another row (c in the sqs view) closes a pane left open */
    key(&w, '\n');
    ck_assert_str_eq(toggles_view.detail(w.priv), "rule:default/fanout");
    ck_assert(toggles_view.select(w.priv, &w.ctx, "mapping:u-1"));
    ck_assert_ptr_null(toggles_view.detail(w.priv));
    ck_assert(toggles_view.target(w.priv, &w.ctx, "toggle-flip", &t));
    ck_assert_str_eq(t.key, "u-1");
    world_done(&w);
}
END_TEST

/* A parameter: when (LastModifiedDate) and who (LastModifiedUser, from the pane's source),
 * never a secure value; a failing read says why; a mapping: when and why (Lambda keeps no
 * "who"). Hostile text from AWS is escaped. */
START_TEST(pane_who_and_when)
{
    struct world w;
    struct store_res *r;
    struct aws_error e;
    int y;

    world_init(&w, 80, 24, true);
    frame(&w);
    ck_assert(toggles_view.select(w.priv, &w.ctx, "parameter:/flags/pay"));
    key(&w, '\r');
    frame(&w);
    ck_assert(row_has(&w, 0, "param payments"));
    ck_assert(row_has(&w, find(&w, "Changed"), "2027-01-15 06:00:00 UTC (2h00m ago)"));
    ck_assert(row_has(&w, find(&w, "By"), "loading"));
    ck_assert(row_has(&w, find(&w, "Value"), "(SecureString: never shown)"));
    r = store_update_begin(w.store, "toggle_detail", "parameter:/flags/pay");
    store_set_int(r, "exists", 1);
    store_set_str(r, "modified_user", "arn:aws:iam::123456789012:user/alice\x1b[2J");
    store_set_int(r, "modified", NOW_S - 7200);
    store_update_commit(r);
    frame(&w);
    y = find(&w, "By");
    ck_assert(row_has(&w, y, "arn:aws:iam::123456789012:user/alice\\x1B[2J"));
    for (int i = 0; i < 24; i++) {
        char *row = screen_test_row(w.scr->win, i);
        ck_assert_msg(!strchr(row, 0x1b), "row %d: raw escape", i);
        free(row);
    }
    /* the next read fails: the cause, and the last good answer stays */
    aws_error_clear(&e);
    e.kind = AWS_ERR_HTTP;
    e.http_status = 400;
    snprintf(e.code, sizeof(e.code), "AccessDeniedException");
    snprintf(e.message, sizeof(e.message), "not authorized to perform ssm:DescribeParameters");
    store_fail(w.store, "toggle_detail", "parameter:/flags/pay", &e);
    frame(&w);
    ck_assert_int_ge(find(&w, "cannot read:"), 1);
    ck_assert_int_ge(find(&w, "user/alice"), 1);
    key(&w, 'q');

    ck_assert(toggles_view.select(w.priv, &w.ctx, "mapping:u-2"));
    r = store_update_begin(w.store, "mapping", "u-2");
    store_set_str(r, "state_reason", "USER_INITIATED");
    store_update_commit(r);
    key(&w, '\n');
    frame(&w);
    ck_assert(row_has(&w, 0, "trigger billing-worker:billing"));
    ck_assert(row_has(&w, find(&w, "State"), "(AWS says Disabling)"));
    ck_assert(row_has(&w, find(&w, "State"), "changing \xe2"));   /* and its spinner */
    ck_assert(row_has(&w, find(&w, "Changed"), "(30s ago)"));
    ck_assert(row_has(&w, find(&w, "Why"), "USER_INITIATED"));
    ck_assert(row_has(&w, find(&w, "UUID"), "u-2"));
    /* the row goes: the pane says so, named as it was */
    store_list_begin(w.store, "mapping");
    store_list_end(w.store, "mapping");
    frame(&w);
    ck_assert(row_has(&w, 0, "billing-worker:billing"));
    ck_assert_int_ge(find(&w, "no longer listed"), 1);
    world_done(&w);
}
END_TEST

/* One flip's two audit lines as the gate writes them (act/gate.c, act/toggle.c). */
#define FLIP_REQ(id, time, acct, region, res, kind, by, prof, before, after)                 \
    "{\"time\":\"" time "\",\"event\":\"request\",\"id\":\"" id "\",\"caller_arn\":\""  \
    by "\",\"profile\":\"" prof "\",\"account\":\"" acct "\",\"region\":\"" region          \
    "\",\"action\":\"EnableRule\",\"resource\":\"" res "\",\"service\":\"events\","        \
    "\"parameters\":{\"kind\":\"" kind "\",\"before\":\"" before "\",\"after\":\"" after   \
    "\",\"confirmation\":\"yes\"}}\n"
#define FLIP_OK(id, res)                                                                     \
    "{\"time\":\"2026-12-04T14:02:04.000Z\",\"event\":\"outcome\",\"id\":\"" id "\","       \
    "\"action\":\"EnableRule\",\"resource\":\"" res "\",\"status\":\"ok\","                \
    "\"http_status\":200,\"request_id\":\"r-1\",\"error\":null,\"result\":null}\n"

/* "Flipped here": the latest flip of the pane's switch by this user's opsdeck, from the
 * audit log: when (in the console's time), before -> after, how it ended, by whom and in
 * which profile; a flip of the same name in another account or region, a line of another
 * write on it, or a malformed line is not it; a failed flip says its error; hostile text in
 * the file is escaped. No log at all: it says there is none. */
START_TEST(pane_flipped_here_from_the_audit_log)
{
    struct world w;
    struct store_res *me;
    int y;

    world_init(&w, 80, 24, true);
    w.ctx.region = "us-east-1";
    me = store_update_begin(w.store, "identity", "caller");
    store_set_str(me, "account", "123456789012");
    store_update_commit(me);
    frame(&w);
    ck_assert(toggles_view.select(w.priv, &w.ctx, "rule:default/fanout"));
    key(&w, '\n');
    frame(&w);
    ck_assert(row_has(&w, find(&w, "Flipped here"), "never, as far as the audit log tells"));
    key(&w, 27);

    audit_add(FLIP_REQ("a-1", "2026-12-04T13:00:00.000Z", "123456789012", "us-east-1",
                       "default/fanout", "rule", "arn:aws:iam::123456789012:user/old", "dev",
                       "on", "off")
              FLIP_OK("a-1", "default/fanout")
              FLIP_REQ("a-2", "2026-12-04T14:02:03.123Z", "123456789012", "us-east-1",
                       "default/fanout", "rule",
                       "arn:aws:iam::123456789012:user/alice\\u001b[2J", "prod", "off", "on")
              "not a line of ours\n"
              FLIP_OK("a-2", "default/fanout")
              /* later, but the same name in another account and another region */
              FLIP_REQ("b-1", "2026-12-04T15:00:00.000Z", "999999999999", "us-east-1",
                       "default/fanout", "rule", "arn:aws:iam::999999999999:user/mallory",
                       "other", "on", "off")
              FLIP_REQ("c-1", "2026-12-04T15:00:00.000Z", "123456789012", "eu-west-1",
                       "default/fanout", "rule", "arn:aws:iam::123456789012:user/eve",
                       "eu", "on", "off")
              /* another write naming the same resource: no before/after, not a flip */
              "{\"time\":\"2026-12-04T15:30:00.000Z\",\"event\":\"request\",\"id\":\"x-1\","
              "\"caller_arn\":\"arn:aws:iam::123456789012:user/trent\",\"profile\":\"dev\","
              "\"account\":\"123456789012\",\"region\":\"us-east-1\",\"action\":\"PutRule\","
              "\"resource\":\"default/fanout\",\"parameters\":{}}\n"
              FLIP_REQ("d-1", "2026-12-04T14:10:00.000Z", "123456789012", "us-east-1",
                       "/flags/pay", "parameter", "arn:aws:iam::123456789012:user/bob", "prod",
                       "on", "off")
              "{\"time\":\"2026-12-04T14:10:01.000Z\",\"event\":\"outcome\",\"id\":\"d-1\","
              "\"status\":\"failed\",\"http_status\":400,\"error\":{\"kind\":\"http\","
              "\"code\":\"AccessDeniedException\",\"message\":\"no\"},\"result\":null}\n");
    key(&w, '\n');
    frame(&w);
    y = find(&w, "Flipped here");
    ck_assert_int_gt(y, 0);
    ck_assert(row_has(&w, y, "off -> on, 2026-12-04 14:02:03 UTC"));
    ck_assert(row_has(&w, y + 1, "by"));
    ck_assert(row_has(&w, y + 1, "user/alice\\x1B[2J (profile prod)"));
    ck_assert(row_has(&w, y + 2, "outcome       ok"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "mallory"), 0);
    ck_assert_int_lt(screen_test_find(w.scr->win, "eve"), 0);
    ck_assert_int_lt(screen_test_find(w.scr->win, "trent"), 0);
    for (int i = 0; i < 24; i++) {
        char *row = screen_test_row(w.scr->win, i);
        ck_assert_msg(!strchr(row, 0x1b), "row %d: raw escape", i);
        free(row);
    }
    key(&w, 27);

    /* the parameter's flip failed: the pane says how */
    ck_assert(toggles_view.select(w.priv, &w.ctx, "parameter:/flags/pay"));
    key(&w, '\n');
    frame(&w);
    y = find(&w, "Flipped here");
    ck_assert(row_has(&w, y, "on -> off, 2026-12-04 14:10:00 UTC"));
    ck_assert(row_has(&w, y + 1, "user/bob (profile prod)"));
    ck_assert(row_has(&w, y + 2, "failed: AccessDeniedException"));
    key(&w, 27);
    world_done(&w);
}
END_TEST

/* With the pane open, a flip of its switch in this session: the log is read again when the
 * flip's job starts (the request line is there, no answer yet) and when it ends (ok). */
START_TEST(pane_flipped_here_follows_a_flip)
{
    struct world w;
    struct jobs *js;
    struct job *j;
    int y;

    world_init(&w, 80, 24, true);
    w.ctx.region = "us-east-1";
    audit_add(FLIP_REQ("a-1", "2026-12-04T13:00:00.000Z", "123456789012", "us-east-1",
                       "default/nightly", "rule", "arn:aws:iam::123456789012:user/old", "dev",
                       "off", "on")
              FLIP_OK("a-1", "default/nightly"));
    frame(&w);
    ck_assert(toggles_view.select(w.priv, &w.ctx, "rule:default/nightly"));
    key(&w, '\n');
    frame(&w);
    y = find(&w, "Flipped here");
    ck_assert(row_has(&w, y, "off -> on, 2026-12-04 13:00:00 UTC"));
    ck_assert(row_has(&w, y + 2, "ok"));
    js = jobs_new(w.store, fake_clock, NULL);
    audit_add(FLIP_REQ("a-2", "2026-12-04T14:00:00.000Z", "123456789012", "us-east-1",
                       "default/nightly", "rule", "arn:aws:iam::123456789012:user/me", "dev",
                       "on", "off"));
    j = jobs_add(js, toggle_flip_action.title, "nightly", 1);
    frame(&w);
    y = find(&w, "Flipped here");
    ck_assert(row_has(&w, y, "on -> off, 2026-12-04 14:00:00 UTC"));
    ck_assert(row_has(&w, y + 1, "user/me (profile dev)"));
    ck_assert(row_has(&w, y + 2, "sent, no answer yet"));
    audit_add(FLIP_OK("a-2", "default/nightly"));
    job_set_state(j, JOB_DONE, NULL);
    frame(&w);
    y = find(&w, "Flipped here");
    ck_assert(row_has(&w, y, "on -> off, 2026-12-04 14:00:00 UTC"));
    ck_assert(row_has(&w, y + 2, "outcome       ok"));
    jobs_free(js);
    world_done(&w);
}
END_TEST

/* The overview's section, drawn by the overview itself: the switches off and changing; a
 * kind never read says so, and only when all three were read does it say all is on. */
static void overview_frame(struct world *w, void *opriv)
{
    w->ctx.now_ms = store_now(w->store);
    overview_view.update(opriv, &w->ctx);
    overview_view.draw(opriv, &w->ctx, w->scr->win);
}

START_TEST(overview_section)
{
    struct world w;
    void *opriv;
    int h, y;

    world_init(&w, 100, 40, true);
    opriv = calloc(1, overview_view.private_size);
    if (overview_view.init)
        overview_view.init(opriv, &w.ctx);
    overview_frame(&w, opriv);
    h = find(&w, "Toggles off or changing");
    ck_assert_int_ge(h, 0);
    y = find(&w, "billing-worker:billing");
    ck_assert_int_gt(y, h);
    ck_assert(row_has(&w, y, "changing"));
    ck_assert_int_gt(find(&w, "fanout"), h);
    ck_assert_int_gt(find(&w, "payments"), h);
    ck_assert_int_lt(screen_test_find(w.scr->win, "nightly"), 0);   /* on: not listed */
    ck_assert_int_lt(screen_test_find(w.scr->win, "every trigger"), 0);
    overview_view.done(opriv);
    free(opriv);
    world_done(&w);

    /* nothing read: a line per kind, no all-clear */
    world_init(&w, 100, 40, false);
    opriv = calloc(1, overview_view.private_size);
    if (overview_view.init)
        overview_view.init(opriv, &w.ctx);
    overview_frame(&w, opriv);
    ck_assert_int_ge(find(&w, "Lambda SQS triggers"), 0);
    ck_assert(row_has(&w, find(&w, "EventBridge rules"), "not read yet"));
    ck_assert_int_lt(screen_test_find(w.scr->win, "every trigger"), 0);
    /* all three read, all on: now it may say so */
    store_list_begin(w.store, "mapping");
    put_mapping(w.store, "u-1", "orders-worker", "orders", "Enabled", "on", NOW_S - 90);
    store_list_end(w.store, "mapping");
    store_list_begin(w.store, "rule");
    store_list_end(w.store, "rule");
    store_list_begin(w.store, "parameter");
    store_list_end(w.store, "parameter");
    overview_frame(&w, opriv);
    ck_assert_int_ge(find(&w, "every trigger, rule and toggle is on"), 0);
    overview_view.done(opriv);
    free(opriv);
    world_done(&w);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("view_toggles");
    TCase *tc = tcase_create("toggles");

    tcase_add_test(tc, one_list_off_and_changing_first);
    tcase_add_test(tc, flip_job_shows_changing);
    tcase_add_test(tc, changing_rows_spin);
    tcase_add_test(tc, unread_and_failing_kinds);
    tcase_add_test(tc, target_and_keys);
    tcase_add_test(tc, hostile_names);
    tcase_add_test(tc, overview_section);
    tcase_add_test(tc, pane_rule_targets);
    tcase_add_test(tc, pane_who_and_when);
    tcase_add_test(tc, pane_flipped_here_from_the_audit_log);
    tcase_add_test(tc, pane_flipped_here_follows_a_flip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
