"""The life-cycle actions: assign, submit, review, close and reopen."""
