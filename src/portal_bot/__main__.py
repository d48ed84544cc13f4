from portal_bot.cli import main

main()
