# The structure confirmation link: a signed token naming the structure and its contact address.
CONFIRMATION_SALT = "cnum.structures.confirm"
CONFIRMATION_MAX_AGE = 3 * 24 * 60 * 60
