from portal_bot.handover import main

main()
