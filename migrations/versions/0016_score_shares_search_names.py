"""i18 polish: scores named by unit, a folded user name for searching

- ``module_progress.quiz_best_percent`` and ``quiz_attempts.percent`` always held a
  share 0..1; they are renamed ``quiz_best_share`` and ``share`` (values unchanged).
- ``users.search_name``: the name case-folded in Python (SQLite's lower() folds only
  ASCII, so "Ødegård" never matched "ødegård").

Revision ID: 0016_score_shares_search_names
Revises: 0015_signoff_attachments
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0016_score_shares_search_names'
down_revision = '0015_signoff_attachments'
branch_labels = None
depends_on = None


def _fold(text):
    return unicodedata.normalize("NFC", " ".join((text or "").split())).casefold()


def upgrade():
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.alter_column('quiz_best_percent', new_column_name='quiz_best_share')
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.alter_column('percent', new_column_name='share')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=200),
                                      server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_users_search_name'), ['search_name'], unique=False)

    users = sa.table('users', sa.column('id', sa.Integer), sa.column('name', sa.String),
                     sa.column('search_name', sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.name)).all()
    for user_id, name in rows:
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(search_name=_fold(name)))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_search_name'))
        batch_op.drop_column('search_name')
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.alter_column('share', new_column_name='percent')
    with op.batch_alter_table('module_progress', schema=None) as batch_op:
        batch_op.alter_column('quiz_best_share', new_column_name='quiz_best_percent')
