/* registry.c - every action opsdeck can run, by name (action.h). A new action is a file
 * src/act/NAME.c and one line here. */
#include "config.h"
#include "act/action.h"

const struct action *const action_registry[] = {
    &send_message_action,
    &publish_action,
    &cancel_job_action,
    &toggle_flip_action,
    &redrive_action,
    &purge_action,
    &peek_action,
    &export_action,
    &export_peeked_action,
    &send_file_action,
    &fetch_payload_action,
    &save_body_action,
    &refresh_creds_action,
    &presign_action,
    &sso_sign_in_action,
    &download_action,
    &download_payload_action,
    NULL,
};
