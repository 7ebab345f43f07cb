from cnum.accounts.roles import Role

# Who sees the periodic jobs and may run one now.
JOB_ROLES = (Role.ADMINISTRATEUR,)
