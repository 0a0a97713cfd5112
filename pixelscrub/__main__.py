from pixelscrub.cli import main

raise SystemExit(main())
