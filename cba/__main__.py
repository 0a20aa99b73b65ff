from cba.cli.entry import main

main()
