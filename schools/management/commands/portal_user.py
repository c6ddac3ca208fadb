"""portal_user USERNAME --role admin|regional|inspector|principal [--municipality CODE ...] [--school CODE]
[--password P] [--email E] [--invite]: create or update a user with that role and scope (DESIGN §10)."""

from django.core.management.base import BaseCommand, CommandError

from schools.roles import role_label
from schools.services import UserError, user_create_or_update, user_invite


class Command(BaseCommand):
    help = "Создаёт или обновляет пользователя портала с ролью и областью доступа."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=["admin", "regional", "inspector", "principal"])
        parser.add_argument("--municipality", nargs="*", default=[], metavar="CODE")
        parser.add_argument("--school", metavar="CODE")
        parser.add_argument("--password")
        parser.add_argument("--email")
        parser.add_argument("--invite", action="store_true", help="отправить письмо со ссылкой для пароля")

    def handle(self, *args, **options):
        try:
            user, created = user_create_or_update(
                username=options["username"],
                role=options["role"],
                school_code=options["school"],
                municipality_codes=options["municipality"],
                password=options["password"],
                email=options["email"],
            )
            if options["invite"]:
                user_invite(user=user)
        except UserError as error:
            raise CommandError(error.message) from error
        school = user.profile.school
        municipalities = ", ".join(m.code for m in user.profile.municipalities.order_by("code"))
        verb = "создан" if created else "обновлён"
        self.stdout.write(
            f"Пользователь {user.get_username()} {verb}: роль {role_label(user)}"
            + (f", школа {school.code} {school.display_name}" if school else "")
            + (f", муниципалитеты {municipalities}" if municipalities else "")
            + (f"; приглашение отправлено на {user.email}" if options["invite"] else "")
            + "."
        )
