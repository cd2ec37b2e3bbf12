/**
 * Every GraphQL operation the portal sends, and nothing else: the build hashes each one into
 * the persisted-query safelist (dist/operations.json) that the gateway enforces in production,
 * and a test validates each against the supergraph. One named operation per constant.
 */
const gql = (text: TemplateStringsArray) => text.join('').replace(/\s+/g, ' ').trim();

// ── sign-in (development): the demo data to pick a role and scope from ──────────────────────
export const SIGN_IN_CHOICES = gql`
  query SignInChoices {
    sites(first: 200) {
      nodes {
        id
        name
        region {
          code
          name
          parent {
            code
            name
          }
        }
      }
    }
    organizations(first: 100) {
      nodes {
        id
        name
      }
    }
    units {
      id
      name
    }
  }
`;

export const SITE_GRIDS = gql`
  query SiteGrids($siteId: ID!) {
    grids(siteId: $siteId) {
      id
      name
      gridWorkerName
    }
  }
`;

// ── region drill-down: province → prefecture → county ───────────────────────────────────────
export const REGION_PAGE = gql`
  query RegionPage($code: ID!) {
    region(code: $code) {
      code
      name
      level
      parent {
        code
        name
        level
        parent {
          code
          name
          level
        }
      }
    }
    regions(parentCode: $code) {
      code
      name
      level
    }
  }
`;

export const MONITORING_ROLLUP = gql`
  query MonitoringRollup($level: MonitoringLevel!, $under: String) {
    monitoringRollup(level: $level, under: $under) {
      code
      households
      passing
      passRate
      failingTraining
      failingWelfarePost
      failingEmployed
      failingIncome
    }
  }
`;

export const MONITORING_TREND = gql`
  query MonitoringTrend($level: MonitoringLevel!, $code: ID!, $from: String!, $to: String!) {
    monitoringTrend(level: $level, code: $code, from: $from, to: $to) {
      day
      households
      passing
      passRate
    }
  }
`;

export const GAP_FLOW = gql`
  query GapFlow($level: MonitoringLevel!, $code: ID!, $from: String!, $to: String!) {
    gapFlow(level: $level, code: $code, from: $from, to: $to) {
      day
      opened
      closed
    }
  }
`;

export const OVERDUE_CLAIMS = gql`
  query OverdueClaims($regionCode: ID, $siteId: ID, $after: String) {
    demands(regionCode: $regionCode, siteId: $siteId, overdue: true, first: 20, after: $after) {
      totalCount
      endCursor
      nodes {
        id
        category
        description
        promisedOn
        overdueSince
        claimedBy {
          name
        }
        site {
          id
          name
        }
      }
    }
  }
`;

export const REGION_SITES = gql`
  query RegionSites($regionCode: ID!, $after: String) {
    sites(regionCode: $regionCode, first: 50, after: $after) {
      totalCount
      endCursor
      nodes {
        id
        name
        householdCount
        residentCount
        openDemandCount
      }
    }
  }
`;

/** The demand list by status (需求清单): one count per status, in the caller's scope or one site's. */
export const DEMANDS_BY_STATUS = gql`
  query DemandsByStatus($siteId: ID, $regionCode: ID) {
    open: demands(siteId: $siteId, regionCode: $regionCode, status: OPEN, first: 1) {
      totalCount
    }
    claimed: demands(siteId: $siteId, regionCode: $regionCode, status: CLAIMED, first: 1) {
      totalCount
    }
    inProgress: demands(siteId: $siteId, regionCode: $regionCode, status: IN_PROGRESS, first: 1) {
      totalCount
    }
    fulfilled: demands(siteId: $siteId, regionCode: $regionCode, status: FULFILLED, first: 1) {
      totalCount
    }
    closed: demands(siteId: $siteId, regionCode: $regionCode, status: CLOSED, first: 1) {
      totalCount
    }
    cancelled: demands(siteId: $siteId, regionCode: $regionCode, status: CANCELLED, first: 1) {
      totalCount
    }
  }
`;

export const POINTS_MONTHLY = gql`
  query PointsMonthly($siteId: ID, $regionCode: ID, $fromMonth: String!, $toMonth: String!) {
    pointsMonthlyTotals(siteId: $siteId, regionCode: $regionCode, fromMonth: $fromMonth, toMonth: $toMonth) {
      siteId
      month
      credited
      granted
      redeemed
      net
    }
  }
`;

export const ACTIVITIES = gql`
  query Activities($siteId: ID, $organizationId: ID, $after: String) {
    activities(siteId: $siteId, organizationId: $organizationId, first: 50, after: $after) {
      totalCount
      endCursor
      nodes {
        id
        title
        kind
        organizationName
        siteId
        startsAt
        capacity
        registeredCount
        waitlistCount
        attendedCount
      }
    }
  }
`;

// ── a site ──────────────────────────────────────────────────────────────────────────────────
export const SITE_PAGE = gql`
  query SitePage($id: ID!) {
    site(id: $id) {
      id
      name
      address
      plannedHouseholds
      householdCount
      residentCount
      openDemandCount
      region {
        code
        name
        parent {
          code
          name
          parent {
            code
            name
          }
        }
      }
    }
    grids(siteId: $id) {
      id
      name
      gridWorkerName
    }
    buildings(siteId: $id) {
      id
      name
    }
  }
`;

export const SITE_RESIDENTS = gql`
  query SiteResidents($siteId: ID!, $filter: ResidentFilter, $search: String, $after: String) {
    residents(siteId: $siteId, filter: $filter, search: $search, first: 20, after: $after) {
      totalCount
      endCursor
      nodes {
        id
        name
        nationalIdMasked
        phoneMasked
        gender
        age
        ethnicity
        labourCapacity
        household {
          id
          householdNumber
          address
        }
      }
    }
  }
`;

export const SITE_LISTS = gql`
  query SiteLists($siteId: ID!) {
    listItems(siteId: $siteId, first: 20) {
      totalCount
      nodes {
        id
        kind
        title
        ownerName
        dueOn
        status
        overdue
      }
    }
    overdueItems: listItems(siteId: $siteId, overdue: true, first: 1) {
      totalCount
    }
    gridTasks(siteId: $siteId, status: OPEN, first: 20) {
      totalCount
      nodes {
        id
        title
        dueOn
        openedAt
        grid {
          name
        }
        household {
          id
          householdNumber
        }
      }
    }
    microIssues(siteId: $siteId, first: 20) {
      totalCount
      nodes {
        id
        title
        kind
        status
        level
        levelDueAt
      }
    }
    notices(siteId: $siteId, first: 10) {
      totalCount
      nodes {
        id
        title
        category
        status
        publishAt
        readRates {
          site {
            id
          }
          residents
          read
        }
      }
    }
    demands(siteId: $siteId, status: OPEN, first: 20) {
      totalCount
      nodes {
        id
        category
        description
        urgency
        status
        overdue
      }
    }
  }
`;

export const CLAIMS_BOARD = gql`
  query ClaimsBoard($siteId: ID!) {
    claimsBoard(siteId: $siteId) {
      demandId
      category
      status
      unitName
      promisedOn
      claimedAt
      fulfilledAt
      overdue
    }
  }
`;

// ── a household ─────────────────────────────────────────────────────────────────────────────
export const HOUSEHOLD_PAGE = gql`
  query HouseholdPage($id: ID!) {
    household(id: $id) {
      id
      householdNumber
      address
      site {
        id
        name
        region {
          code
          name
        }
      }
      building {
        id
        name
      }
      residents {
        id
        name
        nationalIdMasked
        phoneMasked
        gender
        age
        ethnicity
        labourCapacity
        relationToHead
        wantsWork
        canWorkAway
      }
      landAssets {
        id
        kind
        areaMu
        state
        annualIncome
      }
      incomeStability {
        passing
        failedRules
        reasons {
          rule
          reason
        }
        members
        ableToWork
        employed
        welfarePosts
        incomeSources
        changedAt
        openGaps {
          id
          rules
          needsJobHelp
          detectedOn
        }
      }
    }
  }
`;

// Members' jobs, then their training and skills: nested lists are costed at the gateway, so each is its own request.
export const HOUSEHOLD_JOBS = gql`
  query HouseholdJobs($id: ID!) {
    household(id: $id) {
      residents {
        id
        name
        employments {
          id
          kind
          startedOn
          endedOn
          monthlyIncome
          destination
          employer {
            name
          }
        }
      }
    }
  }
`;

export const HOUSEHOLD_TRAINING = gql`
  query HouseholdTraining($id: ID!) {
    household(id: $id) {
      residents {
        id
        name
        enrollments {
          id
          status
          completedOn
          course {
            skill
            provider
          }
        }
        skills {
          id
          name
          level
        }
      }
    }
  }
`;

export const HOUSEHOLD_FOLLOW_UP = gql`
  query HouseholdFollowUp($siteId: ID!, $householdId: ID!) {
    gridTasks(siteId: $siteId, householdId: $householdId, first: 50) {
      totalCount
      nodes {
        id
        title
        status
        dueOn
        openedAt
        note
      }
    }
    demands(siteId: $siteId, householdId: $householdId, first: 50) {
      totalCount
      nodes {
        id
        category
        status
        description
        claimedBy {
          name
        }
        assignments {
          id
          status
        }
      }
    }
  }
`;

export const POINTS_ACCOUNT = gql`
  query PointsAccount($residentId: ID!) {
    pointsAccount(residentId: $residentId) {
      balance
      householdBalance
    }
  }
`;

export const REVEAL_CONTACT = gql`
  mutation RevealContact($id: ID!, $reason: String!) {
    revealResidentContact(id: $id, reason: $reason) {
      residentId
      nationalId
      phone
    }
  }
`;

export const AUDIT_TRAIL = gql`
  query AuditTrail($id: ID!) {
    auditTrail(entityType: "Resident", entityId: $id, first: 10) {
      id
      at
      actorSubject
      actorRole
      action
      detail
    }
  }
`;

// ── a grid worker ───────────────────────────────────────────────────────────────────────────
export const GRID_WORKER_TODAY = gql`
  query GridWorkerToday {
    gridTasks(status: OPEN, first: 50) {
      totalCount
      nodes {
        id
        title
        dueOn
        openedAt
        grid {
          name
        }
        household {
          id
          householdNumber
          address
        }
      }
    }
    myListItems(overdue: true, first: 20) {
      totalCount
      nodes {
        id
        title
        dueOn
        kind
      }
    }
    overdueIssues: microIssues(overdue: true, first: 20) {
      totalCount
      nodes {
        id
        title
        level
        levelDueAt
      }
    }
  }
`;

export const COMPLETE_GRID_TASK = gql`
  mutation CompleteGridTask($id: ID!, $note: String!) {
    completeGridTask(id: $id, note: $note) {
      id
      status
      doneAt
      note
    }
  }
`;

export const GRID_HOUSEHOLDS = gql`
  query GridHouseholds($siteId: ID!, $gridId: ID!, $after: String) {
    households(siteId: $siteId, gridId: $gridId, first: 20, after: $after) {
      totalCount
      endCursor
      nodes {
        id
        householdNumber
        address
        incomeStability {
          passing
          failedRules
        }
      }
    }
  }
`;

export const GRID_OF = gql`
  query GridOf($id: ID!) {
    grid(id: $id) {
      id
      name
      site {
        id
        name
      }
    }
  }
`;

// ── a partner NGO ───────────────────────────────────────────────────────────────────────────
export const NGO_PAGE = gql`
  query NgoPage($orgId: ID!) {
    organization(id: $orgId) {
      id
      name
      kind
      stage
      serviceRegionCodes
    }
    socialWorkers(organizationId: $orgId, first: 50) {
      totalCount
      nodes {
        id
        name
        qualification
        status
        averageScore
        siteIds
      }
    }
    socialCases(organizationId: $orgId, first: 50) {
      totalCount
      nodes {
        id
        title
        kind
        status
        householdId
        referrals {
          id
          agency
          dueOn
          outcome
          overdueSince
        }
      }
    }
    serviceContracts(organizationId: $orgId, first: 20) {
      totalCount
      nodes {
        id
        title
        purchaser
        budgetYuan
        paidYuan
        status
        milestones {
          id
          title
          dueOn
          acceptedAt
        }
      }
    }
  }
`;

export const ACTIVITY_ROSTER = gql`
  query ActivityRoster($id: ID!) {
    activity(id: $id) {
      id
      title
      capacity
      registeredCount
      waitlistCount
      attendedCount
      registrations {
        id
        participantName
        contactMasked
        status
        waitlistPosition
        attendedAt
      }
    }
  }
`;

export const CHECK_IN = gql`
  mutation CheckIn($registrationId: ID!) {
    checkInToActivity(registrationId: $registrationId) {
      id
      status
      attendedAt
    }
  }
`;

// ── a regional unit ─────────────────────────────────────────────────────────────────────────
export const UNIT_DEMANDS = gql`
  query UnitDemands($status: DemandStatus, $after: String) {
    units {
      id
      name
      kind
    }
    demands(status: $status, first: 20, after: $after) {
      totalCount
      endCursor
      nodes {
        id
        category
        description
        urgency
        status
        promisedOn
        overdue
        site {
          id
        }
      }
    }
  }
`;

export const CLAIM_DEMAND = gql`
  mutation ClaimDemand($demandId: ID!, $promisedOn: String!) {
    claimDemand(demandId: $demandId, promisedOn: $promisedOn) {
      id
      status
      promisedOn
    }
  }
`;

export const FULFIL_DEMAND = gql`
  mutation FulfilDemand($demandId: ID!, $note: String) {
    fulfilDemand(demandId: $demandId, note: $note) {
      id
      status
    }
  }
`;

// ── messages (消息通知): anyone's own inbox ──────────────────────────────────────────────────
export const UNREAD_COUNT = gql`
  query UnreadCount {
    myUnreadNotificationCount
  }
`;

export const MY_NOTIFICATIONS = gql`
  query MyNotifications($unreadOnly: Boolean, $after: String) {
    myNotifications(unreadOnly: $unreadOnly, first: 20, after: $after) {
      totalCount
      unreadCount
      endCursor
      nodes {
        id
        kind
        title
        body
        createdAt
        readAt
        entityType
        entityId
        details {
          what
          when
          where
          bring
          contact
        }
        deliveries {
          channel
          status
          sentAt
        }
      }
    }
  }
`;

export const MARK_READ = gql`
  mutation MarkRead($ids: [ID!], $all: Boolean) {
    markNotificationsRead(ids: $ids, all: $all)
  }
`;

// ── deliberation (议事): proposals, the residents' council, household votes ─────────────────
export const MY_HOME = gql`
  query MyHome($id: ID!) {
    resident(id: $id) {
      id
      name
      site {
        id
        name
      }
      building {
        id
        name
      }
    }
  }
`;

export const PLACES_FOR_VOICE = gql`
  query PlacesForVoice {
    sites(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`;

export const PROPOSALS = gql`
  query Proposals($status: ProposalStatus, $after: String) {
    proposals(status: $status, first: 20, after: $after) {
      totalCount
      endCursor
      nodes {
        id
        title
        status
        raisedByRole
        raisedByMe
        raisedAt
        site {
          id
          name
        }
        building {
          id
          name
        }
      }
    }
  }
`;

export const PROPOSAL_PAGE = gql`
  query ProposalPage($id: ID!) {
    proposal(id: $id) {
      id
      title
      body
      status
      raisedByRole
      raisedByMe
      raisedAt
      decidedAt
      site {
        id
        name
      }
      building {
        id
        name
      }
      comments {
        id
        authorRole
        mine
        body
        at
      }
      councilMeeting {
        heldOn
        attendeeCount
        decision
        note
      }
      voting {
        opensAt
        closesAt
        closed
        eligibleHouseholds
        quorumHouseholds
        votesFor
        votesAgainst
        votesAbstain
        votedHouseholds
        listKind
        ownerName
        dueOn
        myHouseholdVote
      }
      outcomeNotice {
        id
        title
      }
      listItem {
        id
        title
        status
      }
    }
  }
`;

export const COUNCIL_CANDIDATES = gql`
  query CouncilCandidates($siteId: ID!, $search: String) {
    residents(siteId: $siteId, search: $search, first: 50) {
      totalCount
      nodes {
        id
        name
        household {
          householdNumber
        }
      }
    }
  }
`;

export const RAISE_PROPOSAL = gql`
  mutation RaiseProposal($input: RaiseProposalInput!) {
    raiseProposal(input: $input) {
      id
    }
  }
`;

export const COMMENT_ON_PROPOSAL = gql`
  mutation CommentOnProposal($proposalId: ID!, $body: String!) {
    commentOnProposal(proposalId: $proposalId, body: $body) {
      id
    }
  }
`;

export const RECORD_COUNCIL_MEETING = gql`
  mutation RecordCouncilMeeting($input: RecordCouncilMeetingInput!) {
    recordCouncilMeeting(input: $input) {
      id
      status
    }
  }
`;

export const CAST_VOTE = gql`
  mutation CastVote($proposalId: ID!, $choice: VoteChoice!) {
    castProposalVote(proposalId: $proposalId, choice: $choice) {
      id
    }
  }
`;

export const CLOSE_VOTE = gql`
  mutation CloseVote($proposalId: ID!) {
    closeProposalVote(proposalId: $proposalId) {
      id
      status
    }
  }
`;

// ── surveys (满意度、归属感调查): answered anonymously, read as counts ───────────────────────
export const SURVEYS = gql`
  query Surveys($after: String) {
    surveys(first: 20, after: $after) {
      totalCount
      endCursor
      nodes {
        id
        kind
        title
        status
        opensAt
        closesAt
        respondentCount
        answeredByMe
        site {
          id
          name
        }
      }
    }
  }
`;

export const SURVEY_PAGE = gql`
  query SurveyPage($id: ID!) {
    survey(id: $id) {
      id
      kind
      title
      status
      opensAt
      closesAt
      closedAt
      respondentCount
      answeredByMe
      site {
        id
        name
      }
      questions {
        no
        text
        kind
        scaleMax
        options
      }
    }
  }
`;

export const SURVEY_RESULTS = gql`
  query SurveyResults($id: ID!) {
    surveyResults(surveyId: $id) {
      minimumGroupSize
      respondents
      hiddenGroups
      groups(first: 20) {
        wholeSite
        building {
          id
          name
        }
        respondents
        questions(first: 30) {
          no
          text
          kind
          mean
          answers(first: 12) {
            answer
            count
          }
        }
      }
    }
  }
`;

export const CREATE_SURVEY = gql`
  mutation CreateSurvey($input: CreateSurveyInput!) {
    createSurvey(input: $input) {
      id
    }
  }
`;

export const ANSWER_SURVEY = gql`
  mutation AnswerSurvey($surveyId: ID!, $answers: [SurveyAnswerInput!]!) {
    answerSurvey(surveyId: $surveyId, answers: $answers) {
      surveyId
      accepted
    }
  }
`;

export const CLOSE_SURVEY = gql`
  mutation CloseSurvey($surveyId: ID!) {
    closeSurvey(surveyId: $surveyId) {
      id
      status
    }
  }
`;

export const MY_PREFERENCES = gql`
  query MyPreferences {
    myNotificationPreferences {
      smsEnabled
      wechatEnabled
      quietHours {
        start
        end
      }
      mutedKinds
      phoneMasked
      wechatBound
    }
  }
`;

export const SET_MY_PREFERENCES = gql`
  mutation SetMyPreferences($input: NotificationPreferencesInput!) {
    setMyNotificationPreferences(input: $input) {
      smsEnabled
      wechatEnabled
      quietHours {
        start
        end
      }
      mutedKinds
    }
  }
`;
