"""lti advantage: dynamic registration links, created line items, NRPS differences

Revision ID: 0012_i23_lti
Revises: 0011_lti_runs
Create Date: 2026-11-30 18:15:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0012_i23_lti'
down_revision = '0011_lti_runs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lti_registration_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('default_unit_code', sa.String(length=40), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('platform_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_lti_registration_links_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['platform_id'], ['lti_platforms.id'],
                                name=op.f('fk_lti_registration_links_platform_id_lti_platforms'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_registration_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_lti_registration_links_token_hash')),
    )
    with op.batch_alter_table('lti_contexts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nrps_differences', sa.JSON(), nullable=False,
                                      server_default='{}'))
    with op.batch_alter_table('lti_line_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tag', sa.String(length=255), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('label', sa.String(length=300), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('lti_line_items', schema=None) as batch_op:
        batch_op.drop_column('label')
        batch_op.drop_column('tag')
    with op.batch_alter_table('lti_contexts', schema=None) as batch_op:
        batch_op.drop_column('nrps_differences')
    op.drop_table('lti_registration_links')
